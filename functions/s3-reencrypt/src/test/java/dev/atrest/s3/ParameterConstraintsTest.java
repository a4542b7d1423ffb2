package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.config.ConfigLoader;
import dev.atrest.core.config.TargetKey;
import dev.atrest.testing.ParameterContract;
import dev.atrest.testing.TemplateParameters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration accepts exactly what the template's parameters accept (one source of constraints). */
class ParameterConstraintsTest {

    @Test
    void configurationAcceptsExactlyWhatTheTemplateAccepts() {
        Map<String, String> base = new HashMap<>(TemplateParameters.load().defaults("S3ReencryptFunction"));
        // TargetKmsKeyArn sets it unless the stack creates the key (!If [CreateKey, the key, !Ref TargetKmsKeyArn]).
        assertThat(TemplateParameters.load().environment("S3ReencryptFunction")).containsKey("TARGET_KMS_KEY_ARN");
        // Set from pseudo parameters and the function's role, not from parameters: what a deployment gives them.
        base.put("ACCOUNT_ID", "123456789012");
        base.put("FUNCTION_ROLE_ID", "AROAEXAMPLEROLEID1234");
        base.put("AWS_REGION", "us-east-1");
        TargetKey.Facts key = new TargetKey.Facts("arn:aws:kms:us-east-1:123456789012:key/resolved", "CUSTOMER",
                "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "Enabled");
        // POWERTOOLS_LOG_LEVEL is read by Powertools, not by atrest's configuration.
        ParameterContract.assertSameAsTemplate("S3ReencryptFunction", base,
                env -> ReencryptConfig.load(new ConfigLoader(env), ref -> key), List.of("POWERTOOLS_LOG_LEVEL"));
    }
}
