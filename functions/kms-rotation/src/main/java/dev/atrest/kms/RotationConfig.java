package dev.atrest.kms;

import dev.atrest.core.config.ConfigLoader;
import java.util.regex.Pattern;

/**
 * The rotation policy and run settings, read once at init.
 *
 * @param rotationPeriodDays period set when rotation is enabled or a too-long period is shortened
 * @param maxRotationPeriodDays a key already rotating at most this often is compliant
 * @param exemptTagKey keys tagged with this key are reported as exempt and never changed
 * @param dryRun report what would change, change nothing
 * @param findingsTopicArn SNS topic for remediations caused by a person, or null
 * @param listKeysPageSize ListKeys Limit used by the sweep
 * @param concurrency keys evaluated at once by the sweep
 */
public record RotationConfig(int rotationPeriodDays, int maxRotationPeriodDays, String exemptTagKey, boolean dryRun,
                             String findingsTopicArn, int listKeysPageSize, int concurrency) {
    /** KMS accepts RotationPeriodInDays from 90 to 2560. */
    public static final int MIN_PERIOD = 90;
    public static final int MAX_PERIOD = 2560;
    public static final int KMS_DEFAULT_PERIOD = 365;
    /** A tag key KMS accepts, in ASCII (the template's pattern for ExemptTagKey). */
    public static final Pattern TAG_KEY = Pattern.compile("^[A-Za-z0-9 _.:/=+@-]{1,128}$");

    public static RotationConfig load(ConfigLoader env) {
        int period = env.intInRange("ROTATION_PERIOD_DAYS", KMS_DEFAULT_PERIOD, MIN_PERIOD, MAX_PERIOD);
        int max = env.intInRange("MAX_ROTATION_PERIOD_DAYS", period, MIN_PERIOD, MAX_PERIOD);
        if (max < period) {
            env.problem("MAX_ROTATION_PERIOD_DAYS=" + max + " is below ROTATION_PERIOD_DAYS=" + period
                    + ": keys set to the policy period would never be compliant");
        }
        String exempt = env.matching("EXEMPT_TAG_KEY", TAG_KEY, false, "a KMS tag key (1 to 128 characters)");
        boolean dryRun = env.bool("DRY_RUN", true);
        String topic = env.matching("FINDINGS_TOPIC_ARN", ConfigLoader.SNS_TOPIC_ARN, false, "an SNS topic ARN");
        int pageSize = env.intInRange("LIST_KEYS_PAGE_SIZE", 100, 1, 1000);
        int concurrency = env.intInRange("SWEEP_CONCURRENCY", 4, 1, 32);
        env.validate();
        return new RotationConfig(period, max, exempt == null ? "atrest:exempt" : exempt, dryRun, topic, pageSize,
                concurrency);
    }
}
