package dev.atrest.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.config.ConfigException;
import dev.atrest.testing.TemplateParameters.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A function's configuration accepts exactly what its template parameters accept: for every environment variable
 * the template sets from a parameter, every candidate value is taken by both or refused by both.
 *
 * <p>One difference is by design and checked as such: CloudFormation's Number type also takes decimals
 * ({@code 365.5}); the functions count whole things (days, bytes) and refuse them at init, naming the variable.
 */
public final class ParameterContract {
    /** Values of the shapes atrest's parameters take, right and nearly right. */
    public static final List<String> SHAPES = List.of(
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
            "arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/k",
            "arn:aws-iso-b:kms:us-isob-east-1:123456789012:key/k",
            "arn:aws:kms:xx-moon-1:123456789012:key/k",
            "arn:aws:kms:us-east:123456789012:key/k",
            "arn:aws:kms::123456789012:key/k",
            "arn:aws:kms:us-east-1:12345678901:key/k",
            "arn:aws:kms:us-east-1:1234567890123:key/k",
            "arn:awsx:kms:us-east-1:123456789012:key/k",
            "arn:aws-:kms:us-east-1:123456789012:key/k",
            "arn:aws:kms:us-east-1:123456789012:key/",
            "arn:aws:kms:us-east-1:123456789012:key/a_b",
            "arn:aws:kms:us-east-1:123456789012:alias/atrest",
            "arn:aws:kms:us-east-1:123456789012:alias/aws/s3",
            "arn:aws:kms:us-east-1:123456789012:alias/a b",
            "alias/atrest",
            "1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:us-east-1:123456789012:key/a,arn:aws:kms:eu-west-1:123456789012:key/b",
            "arn:aws:kms:us-east-1:123456789012:key/a, arn:aws:kms:eu-west-1:123456789012:key/b",
            ",arn:aws:kms:us-east-1:123456789012:key/a",
            "arn:aws:kms:us-east-1:123456789012:key/a,,arn:aws:kms:us-east-1:123456789012:key/b",
            "arn:aws:sns:us-east-1:123456789012:atrest-findings",
            "arn:aws:sns:xx-moon-1:123456789012:t",
            "arn:aws:sns:us-east-1:123456789012:t.fifo",
            "arn:aws:sns:us-east-1:123456789012:" + "t".repeat(256),
            "arn:aws:sns:us-east-1:123456789012:" + "t".repeat(257),
            "arn:aws:sns:us-east-1:123456789012:a.b",
            "arn:aws:sqs:us-east-1:123456789012:q",
            "arn:aws:s3:::bucket",
            "atrest-example-bucket", "atrest-example-bucket,logs.example-1", "atrest-example-bucket, logs", "ab",
            "a".repeat(63), "a".repeat(64), "-bucket", "bucket-", "Bucket", "b_ucket", "atrest-example-bucket,,logs",
            "all", "us-east-1", "us-east-1,eu-west-1", "us-east-1, eu-west-1", "all,us-east-1", "us-gov-west-1",
            "us-isob-east-1", "xx-moon-1", "us-east-1,", "US-EAST-1",
            "atrest:exempt", "a", "a".repeat(128), "a".repeat(129), "aws:reserved", "ü", "a\tb", "key=value+@/.:_-",
            "true", "false", "yes", "1", "on", "auto", "update", "copy", "DEBUG", "INFO", "WARN", "ERROR", "TRACE");

    /** Decimals CloudFormation takes as a Number and the functions refuse (they count whole things). */
    private static final List<String> DECIMALS = List.of("365.5", "90.0", "5242880.5");

    private ParameterContract() {}

    /**
     * Checks every parameter-set variable of {@code function} except {@code notReadByAtrest} (variables other code
     * reads, e.g. Powertools' log level).
     *
     * @param base an environment the function accepts; each check sets one variable on top of it
     * @param load loads the function's configuration from an environment, throwing {@link ConfigException}
     */
    public static void assertSameAsTemplate(String function, Map<String, String> base,
            Consumer<Map<String, String>> load, List<String> notReadByAtrest) {
        TemplateParameters template = TemplateParameters.load();
        Map<String, Parameter> variables = template.environment(function);
        assertThat(variables).as("parameter-set variables of " + function).isNotEmpty();
        load.accept(base);
        List<String> differences = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, Parameter> e : variables.entrySet()) {
            String variable = e.getKey();
            if (notReadByAtrest.contains(variable)) {
                continue;
            }
            Parameter p = e.getValue();
            for (String value : TemplateParameters.candidates(p, SHAPES)) {
                boolean template_ = p.accepts(value);
                boolean code = accepts(load, base, variable, value);
                checked++;
                if (template_ != code) {
                    differences.add(variable + "='" + printable(value) + "': template " + (template_ ? "accepts" : "refuses")
                            + ", code " + (code ? "accepts" : "refuses"));
                }
            }
            if ("Number".equals(p.type())) {
                for (String decimal : DECIMALS) {
                    if (accepts(load, base, variable, decimal)) {
                        differences.add(variable + "='" + decimal + "': a decimal must be refused (whole numbers only)");
                    }
                }
            }
        }
        assertThat(differences).as("differences between template.yaml and the code over %d values", checked).isEmpty();
    }

    private static boolean accepts(Consumer<Map<String, String>> load, Map<String, String> base, String variable,
            String value) {
        Map<String, String> env = new LinkedHashMap<>(base);
        env.put(variable, value);
        try {
            load.accept(env);
            return true;
        } catch (ConfigException e) {
            if (!Pattern.compile("(^|[^A-Z_])" + variable + "(=| is | has )").matcher(e.getMessage()).find()) {
                throw new AssertionError(variable + "='" + printable(value) + "' was refused for another reason: "
                        + e.getMessage(), e);
            }
            return false;
        }
    }

    private static String printable(String value) {
        return value.length() > 60 ? value.substring(0, 60) + "…(" + value.length() + ")" : value.replace("\t", "\\t");
    }
}
