package dev.atrest.kms;

import dev.atrest.core.config.ConfigLoader;
import dev.atrest.core.config.RegionSelection;
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
 * @param concurrency keys evaluated at once by the sweep, in each Region
 * @param regions the Regions the sweep covers and whose key events are acted on
 */
public record RotationConfig(int rotationPeriodDays, int maxRotationPeriodDays, String exemptTagKey, boolean dryRun,
                             String findingsTopicArn, int listKeysPageSize, int concurrency, RegionSelection regions) {
    /** KMS accepts RotationPeriodInDays from 90 to 2560. */
    public static final int MIN_PERIOD = 90;
    public static final int MAX_PERIOD = 2560;
    public static final int KMS_DEFAULT_PERIOD = 365;
    /** A tag key KMS accepts, in ASCII (the template's pattern for ExemptTagKey). */
    public static final Pattern TAG_KEY = Pattern.compile("^[A-Za-z0-9 _.:/=+@-]{1,128}$");
    /** The most keys ListKeys returns in one page: a Region of a thousand keys is listed in one request. */
    public static final int MAX_LIST_KEYS_PAGE = 1000;
    public static final String DEFAULT_EXEMPT_TAG_KEY = "atrest:exempt";

    public RotationConfig {
        regions = regions == null ? RegionSelection.HOME : regions;
    }

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
        int pageSize = env.intInRange("LIST_KEYS_PAGE_SIZE", MAX_LIST_KEYS_PAGE, 1, MAX_LIST_KEYS_PAGE);
        int concurrency = env.intInRange("SWEEP_CONCURRENCY", 4, 1, 32);
        RegionSelection regions = RegionSelection.load(env, "REGIONS");
        env.validate();
        return new RotationConfig(period, max, exempt == null ? DEFAULT_EXEMPT_TAG_KEY : exempt, dryRun, topic,
                pageSize, concurrency, regions);
    }

    /** The defaults of {@link #load} (dry run included), to change by name. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().rotationPeriodDays(rotationPeriodDays).maxRotationPeriodDays(maxRotationPeriodDays)
                .exemptTagKey(exemptTagKey).dryRun(dryRun).findingsTopicArn(findingsTopicArn)
                .listKeysPageSize(listKeysPageSize).concurrency(concurrency).regions(regions);
    }

    public static final class Builder {
        private int rotationPeriodDays = KMS_DEFAULT_PERIOD;
        private int maxRotationPeriodDays = KMS_DEFAULT_PERIOD;
        private String exemptTagKey = DEFAULT_EXEMPT_TAG_KEY;
        private boolean dryRun = true;
        private String findingsTopicArn;
        private int listKeysPageSize = MAX_LIST_KEYS_PAGE;
        private int concurrency = 4;
        private RegionSelection regions = RegionSelection.HOME;

        private Builder() {}

        public Builder rotationPeriodDays(int days) {
            this.rotationPeriodDays = days;
            return this;
        }

        public Builder maxRotationPeriodDays(int days) {
            this.maxRotationPeriodDays = days;
            return this;
        }

        public Builder exemptTagKey(String tagKey) {
            this.exemptTagKey = tagKey;
            return this;
        }

        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        public Builder findingsTopicArn(String topicArn) {
            this.findingsTopicArn = topicArn;
            return this;
        }

        public Builder listKeysPageSize(int pageSize) {
            this.listKeysPageSize = pageSize;
            return this;
        }

        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        public Builder regions(RegionSelection regions) {
            this.regions = regions;
            return this;
        }

        public RotationConfig build() {
            return new RotationConfig(rotationPeriodDays, maxRotationPeriodDays, exemptTagKey, dryRun, findingsTopicArn,
                    listKeysPageSize, concurrency, regions);
        }
    }
}
