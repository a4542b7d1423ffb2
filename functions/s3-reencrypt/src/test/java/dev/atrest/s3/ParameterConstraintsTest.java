package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.config.ConfigLoader;
import dev.atrest.testing.ParameterContract;
import dev.atrest.testing.TemplateParameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration accepts exactly what the template's parameters accept (one source of constraints). */
class ParameterConstraintsTest {

    @Test
    void configurationAcceptsExactlyWhatTheTemplateAccepts() {
        Map<String, String> base = TemplateParameters.load().defaults("S3ReencryptFunction");
        // TargetKmsKeyArn sets it unless the stack creates the key (!If [CreateKey, the key, !Ref TargetKmsKeyArn]).
        assertThat(TemplateParameters.load().environment("S3ReencryptFunction")).containsKey("TARGET_KMS_KEY_ARN");
        // POWERTOOLS_LOG_LEVEL is read by Powertools, not by atrest's configuration.
        ParameterContract.assertSameAsTemplate("S3ReencryptFunction", base, env -> ReencryptConfig.load(new ConfigLoader(env), ref -> "arn:aws:kms:us-east-1:123456789012:key/resolved"),
                List.of("POWERTOOLS_LOG_LEVEL"));
    }
}
