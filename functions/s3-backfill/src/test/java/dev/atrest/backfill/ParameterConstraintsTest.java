package dev.atrest.backfill;

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
        Map<String, String> base = new HashMap<>(TemplateParameters.load().defaults("S3BackfillFunction"));
        // Set from the stack's own resources, not from parameters: what a deployment gives them.
        base.put("BACKFILL_REPORT_BUCKET", "atrest-backfill-reports");
        base.put("BACKFILL_JOB_ROLE_ARN", "arn:aws:iam::123456789012:role/atrest-BackfillJobRole-1A2B3C");
        base.put("S3_FUNCTION_ARN", "arn:aws:lambda:us-east-1:123456789012:function:atrest-S3Reencrypt-1A2B:live");
        base.put("ACCOUNT_ID", "123456789012");
        base.put("AWS_REGION", "us-east-1");
        TargetKey.Facts key = new TargetKey.Facts("arn:aws:kms:us-east-1:123456789012:key/resolved", "CUSTOMER",
                "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "Enabled");
        // POWERTOOLS_LOG_LEVEL is read by Powertools, not by atrest's configuration.
        ParameterContract.assertSameAsTemplate("S3BackfillFunction", base,
                env -> BackfillConfig.load(new ConfigLoader(env), ref -> key),
                List.of("POWERTOOLS_LOG_LEVEL"));
    }
}
