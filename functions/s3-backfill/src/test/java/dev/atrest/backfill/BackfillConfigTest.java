package dev.atrest.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.core.config.ConfigException;
import dev.atrest.core.config.ConfigLoader;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackfillConfigTest {
    static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAMES", "data,logs.example");
        env.put("TARGET_KMS_KEY_ARN", KEY);
        env.put("BACKFILL_REPORT_BUCKET", "atrest-backfill-reports");
        env.put("BACKFILL_JOB_ROLE_ARN", "arn:aws:iam::123456789012:role/service-role/atrest-job");
        env.put("S3_FUNCTION_ARN", "arn:aws:lambda:us-east-1:123456789012:function:atrest-s3:live");
        return env;
    }

    @Test
    void safeDefaults() {
        BackfillConfig c = BackfillConfig.load(new ConfigLoader(env()), ref -> {
            throw new AssertionError("a key ARN needs no resolution");
        });
        assertThat(c.dryRun()).isTrue();
        assertThat(c.bucketKeyEnabled()).isTrue();
        assertThat(c.buckets()).containsExactly("data", "logs.example");
        assertThat(c.findingsTopicArn()).isNull();
    }

    @Test
    void anAliasIsResolvedOnceToTheKeyArnTheJobsNeed() {
        Map<String, String> env = env();
        env.put("TARGET_KMS_KEY_ARN", "arn:aws:kms:us-east-1:123456789012:alias/atrest");
        assertThat(BackfillConfig.load(new ConfigLoader(env), ref -> KEY).targetKeyArn()).isEqualTo(KEY);
        assertThatThrownBy(() -> BackfillConfig.load(new ConfigLoader(env), ref -> "alias/not-a-key"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a key ARN");
    }

    @Test
    void everyBadVariableIsNamedInOneMessage() {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAMES", "Data");
        env.put("BACKFILL_JOB_ROLE_ARN", "arn:aws:iam::123456789012:user/me");
        env.put("S3_FUNCTION_ARN", "arn:aws:lambda:us-east-1:123456789012:layer:x");
        env.put("DRY_RUN", "no");
        assertThatThrownBy(() -> BackfillConfig.load(new ConfigLoader(env), ref -> KEY))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("BUCKET_NAMES", "TARGET_KMS_KEY_ARN", "BACKFILL_REPORT_BUCKET",
                        "BACKFILL_JOB_ROLE_ARN", "S3_FUNCTION_ARN", "DRY_RUN");
        env.clear();
        assertThatThrownBy(() -> BackfillConfig.load(new ConfigLoader(env), ref -> KEY))
                .hasMessageContaining("BUCKET_NAMES is required");
    }
}
