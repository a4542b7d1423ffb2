package dev.atrest.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.json.UntrustedText;
import dev.atrest.core.lambda.FunctionArn;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UntrustedInputTest {

    @Test
    void echoedTextIsEscapedAndBounded() {
        assertThat(UntrustedText.abbreviate("a\u0000b\u001B\u202Ec\nd\u2028"))
                .isEqualTo("a\\u0000b\\u001b\\u202ec\\u000ad\\u2028");
        assertThat(UntrustedText.abbreviate("\uD800")).isEqualTo("\\ud800");
        assertThat(UntrustedText.abbreviate("plain text, unicode ü 😀")).isEqualTo("plain text, unicode ü 😀");
        assertThat(UntrustedText.abbreviate(null)).isNull();
        String cut = UntrustedText.abbreviate("x".repeat(119) + "😀😀");
        assertThat(cut).isEqualTo("x".repeat(119) + "…(123 chars)");
        assertThat(UntrustedText.abbreviate("A".repeat(200_000))).isEqualTo("A".repeat(120) + "…(200000 chars)");
        assertThat(UntrustedText.abbreviate("\u0001".repeat(100))).hasSize(120 + "…(100 chars)".length());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "arn:aws:lambda:us-east-1:123456789012:function:f,                 123456789012, aws",
            "arn:aws:lambda:us-east-1:123456789012:function:f:live,            123456789012, aws",
            "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f,      123456789012, aws-us-gov",
            "arn:aws-cn:lambda:cn-north-1:210987654321:function:f,             210987654321, aws-cn",
            "arn:aws-iso-b:lambda:us-isob-east-1:123456789012:function:f,      123456789012, aws-iso-b",
            "arn:aws:lambda:us-east-1:12345:function:f,                        null,         null",
            "arn:aws:lambda:us-east-1:123456789012,                            null,         null",
            "arn:aws:lambda:us-east-1:123456789012:layer:f,                    null,         null",
            "arn:aws:s3:us-east-1:123456789012:function:f,                     null,         null",
            "arn:Aws:lambda:us-east-1:123456789012:function:f,                 null,         null",
            "arn:aws x:lambda:us-east-1:123456789012:function:f,               null,         null",
            "urn:aws:lambda:us-east-1:123456789012:function:f,                 null,         null",
            "arn::lambda:us-east-1:123456789012:function:f,                    null,         null",
            "nonsense,                                                         null,         null",
            "null,                                                             null,         null",
    })
    void theAccountAndPartitionOfAFunctionArn(String arn, String account, String partition) {
        assertThat(FunctionArn.account(arn)).isEqualTo(account);
        assertThat(FunctionArn.partition(arn)).isEqualTo(partition);
    }
}
