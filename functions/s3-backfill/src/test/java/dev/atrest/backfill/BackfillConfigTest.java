package dev.atrest.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.core.config.BucketScope;
import dev.atrest.core.config.ConfigException;
import dev.atrest.core.config.ConfigLoader;
import dev.atrest.core.config.TargetKey;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackfillConfigTest {
    static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final TargetKey.Facts GOOD = new TargetKey.Facts(KEY, "CUSTOMER", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT",
            "Enabled");

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAMES", "data,logs.example");
        env.put("TARGET_KMS_KEY_ARN", KEY);
        env.put("BACKFILL_REPORT_BUCKET", "atrest-backfill-reports");
        env.put("BACKFILL_JOB_ROLE_ARN", "arn:aws:iam::123456789012:role/service-role/atrest-job");
        env.put("S3_FUNCTION_ARN", "arn:aws:lambda:us-east-1:123456789012:function:atrest-s3:live");
        env.put("ACCOUNT_ID", "123456789012");
        env.put("AWS_REGION", "us-east-1");
        return env;
    }

    @Test
    void safeDefaults() {
        BackfillConfig c = BackfillConfig.load(new ConfigLoader(env()), ref -> GOOD);
        assertThat(c.dryRun()).isTrue();
        assertThat(c.enableEventBridge()).isFalse();
        assertThat(c.scope().mode()).isEqualTo(BucketScope.Mode.LISTED);
        assertThat(c.bucketKeyEnabled()).isTrue();
        assertThat(c.buckets()).containsExactly("data", "logs.example");
        assertThat(c.findingsTopicArn()).isNull();
    }

    @Test
    void anAliasIsResolvedOnceToTheKeyArnTheJobsNeed() {
        Map<String, String> env = env();
        env.put("TARGET_KMS_KEY_ARN", "arn:aws:kms:us-east-1:123456789012:alias/atrest");
        assertThat(BackfillConfig.load(new ConfigLoader(env), ref -> GOOD).targetKeyArn()).isEqualTo(KEY);
        // The same check as the S3 function's (core TargetKey): a key S3 could not use for this account fails init.
        assertThatThrownBy(() -> BackfillConfig.load(new ConfigLoader(env), ref -> new TargetKey.Facts(KEY, "AWS",
                "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "Enabled")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("TARGET_KMS_KEY_ARN")
                .hasMessageContaining("managed by AWS");
    }

    @Test
    void everyBadVariableIsNamedInOneMessage() {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAMES", "Data");
        env.put("BACKFILL_JOB_ROLE_ARN", "arn:aws:iam::123456789012:user/me");
        env.put("S3_FUNCTION_ARN", "arn:aws:lambda:us-east-1:123456789012:layer:x");
        env.put("DRY_RUN", "no");
        assertThatThrownBy(() -> BackfillConfig.load(new ConfigLoader(env), ref -> GOOD))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("BUCKET_NAMES", "TARGET_KMS_KEY_ARN", "BACKFILL_REPORT_BUCKET",
                        "BACKFILL_JOB_ROLE_ARN", "S3_FUNCTION_ARN", "DRY_RUN");
        env.clear();
        assertThatThrownBy(() -> BackfillConfig.load(new ConfigLoader(env), ref -> GOOD))
                .hasMessageContaining("BUCKET_NAMES is required");
    }
}
