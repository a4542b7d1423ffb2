package dev.atrest.audit;

import static dev.atrest.core.json.UntrustedText.abbreviate;

import dev.atrest.core.config.ConfigException;
import dev.atrest.core.config.ConfigLoader;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The function's environment, validated once at init.
 *
 * @param regions configured regions; empty means the function's own region unless {@code allRegions}
 * @param allRegions REGIONS=all: every region enabled for the account (DescribeRegions)
 */
public record AuditConfig(List<String> regions, boolean allRegions, boolean requireCustomerManagedKey,
        boolean securityHubEnabled, String findingsTopicArn, boolean tagResources, boolean enableEbsDefaultEncryption,
        String ebsDefaultKmsKeyArn, int keyMaterialExpiryWarningDays, String reportLocation, String reportKmsKeyArn,
        boolean blockSseC, boolean dryRun) {

    // The environment variables, named once: checks and sinks name the one that turns their writes on.
    public static final String REGIONS = "REGIONS";
    public static final String REQUIRE_CUSTOMER_MANAGED_KEY = "REQUIRE_CUSTOMER_MANAGED_KEY";
    public static final String SECURITY_HUB_ENABLED = "SECURITY_HUB_ENABLED";
    public static final String FINDINGS_TOPIC_ARN = "FINDINGS_TOPIC_ARN";
    public static final String TAG_RESOURCES = "TAG_RESOURCES";
    public static final String ENABLE_EBS_DEFAULT_ENCRYPTION = "ENABLE_EBS_DEFAULT_ENCRYPTION";
    public static final String EBS_DEFAULT_KMS_KEY_ARN = "EBS_DEFAULT_KMS_KEY_ARN";
    public static final String KEY_MATERIAL_EXPIRY_WARNING_DAYS = "KEY_MATERIAL_EXPIRY_WARNING_DAYS";
    public static final String REPORT_LOCATION = "REPORT_LOCATION";
    public static final String REPORT_KMS_KEY_ARN = "REPORT_KMS_KEY_ARN";
    public static final String BLOCK_SSE_C = "BLOCK_SSE_C";
    public static final String DRY_RUN = "DRY_RUN";

    /** The template's ReportLocation: an S3 URI of a bucket and an optional prefix. */
    public static final Pattern REPORT_LOCATION_PATTERN = Pattern.compile(
            "^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[A-Za-z0-9!_.*'()/-]*)?$");
    static final int WARNING_DAYS_DEFAULT = 30;
    static final int WARNING_DAYS_MIN = 1;
    static final int WARNING_DAYS_MAX = 365;

    /**
     * The ARNs are read later (the topic's region, the key's region), so a config built in code gets
     * the same shape check as one loaded from the environment: a bad value fails here, naming the variable.
     */
    public AuditConfig {
        regions = regions == null ? List.of() : List.copyOf(regions);
        requireShape(FINDINGS_TOPIC_ARN, findingsTopicArn, ConfigLoader.SNS_TOPIC_ARN, "an SNS topic ARN");
        requireShape(EBS_DEFAULT_KMS_KEY_ARN, ebsDefaultKmsKeyArn, ConfigLoader.KMS_KEY_ARN,
                "a KMS key ARN (not an alias)");
        requireShape(REPORT_LOCATION, reportLocation, REPORT_LOCATION_PATTERN, "an S3 URI (s3://bucket/prefix/)");
        requireShape(REPORT_KMS_KEY_ARN, reportKmsKeyArn, ConfigLoader.KMS_KEY_OR_ALIAS_ARN,
                "a KMS key ARN or alias ARN");
        if (keyMaterialExpiryWarningDays < WARNING_DAYS_MIN || keyMaterialExpiryWarningDays > WARNING_DAYS_MAX) {
            throw new ConfigException("Invalid configuration: " + KEY_MATERIAL_EXPIRY_WARNING_DAYS + "="
                    + keyMaterialExpiryWarningDays + " is invalid: expected " + WARNING_DAYS_MIN + " to "
                    + WARNING_DAYS_MAX);
        }
        if (reportLocation != null && reportKmsKeyArn == null) {
            throw new ConfigException("Invalid configuration: " + REPORT_KMS_KEY_ARN + " is required when "
                    + REPORT_LOCATION + " is set: the report is written SSE-KMS under it");
        }
    }

    /** The report location's bucket; null without one. */
    public String reportBucket() {
        if (reportLocation == null) {
            return null;
        }
        String path = reportLocation.substring("s3://".length());
        int slash = path.indexOf('/');
        return slash < 0 ? path : path.substring(0, slash);
    }

    /** The report location's key prefix ("" or ending with "/"); null without a location. */
    public String reportPrefix() {
        if (reportLocation == null) {
            return null;
        }
        String path = reportLocation.substring("s3://".length());
        int slash = path.indexOf('/');
        String prefix = slash < 0 ? "" : path.substring(slash + 1);
        return prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    private static void requireShape(String name, String value, Pattern pattern, String expected) {
        if (value != null && !pattern.matcher(value).matches()) {
            throw new ConfigException("Invalid configuration: " + name + "='" + abbreviate(value)
                    + "' is invalid: expected " + expected);
        }
    }

    /** The template's defaults: the function's own region, report only (dry run), no sink but the metrics. */
    public static Builder builder() {
        return new Builder();
    }

    /** This configuration with some settings changed. */
    public Builder toBuilder() {
        return new Builder().regions(regions).allRegions(allRegions)
                .requireCustomerManagedKey(requireCustomerManagedKey).securityHubEnabled(securityHubEnabled)
                .findingsTopicArn(findingsTopicArn).tagResources(tagResources)
                .enableEbsDefaultEncryption(enableEbsDefaultEncryption).ebsDefaultKmsKeyArn(ebsDefaultKmsKeyArn)
                .keyMaterialExpiryWarningDays(keyMaterialExpiryWarningDays).reportLocation(reportLocation)
                .reportKmsKeyArn(reportKmsKeyArn).blockSseC(blockSseC).dryRun(dryRun);
    }

    /** Named settings instead of positional ones; unset settings keep the template's defaults. */
    public static final class Builder {
        private List<String> regions = List.of();
        private boolean allRegions;
        private boolean requireCustomerManagedKey;
        private boolean securityHubEnabled;
        private String findingsTopicArn;
        private boolean tagResources;
        private boolean enableEbsDefaultEncryption;
        private String ebsDefaultKmsKeyArn;
        private int keyMaterialExpiryWarningDays = WARNING_DAYS_DEFAULT;
        private String reportLocation;
        private String reportKmsKeyArn;
        private boolean blockSseC;
        private boolean dryRun = true;

        private Builder() {}

        public Builder regions(List<String> value) {
            regions = value;
            return this;
        }

        public Builder regions(String... value) {
            return regions(List.of(value));
        }

        public Builder allRegions(boolean value) {
            allRegions = value;
            return this;
        }

        public Builder requireCustomerManagedKey(boolean value) {
            requireCustomerManagedKey = value;
            return this;
        }

        public Builder securityHubEnabled(boolean value) {
            securityHubEnabled = value;
            return this;
        }

        public Builder findingsTopicArn(String value) {
            findingsTopicArn = value;
            return this;
        }

        public Builder tagResources(boolean value) {
            tagResources = value;
            return this;
        }

        public Builder enableEbsDefaultEncryption(boolean value) {
            enableEbsDefaultEncryption = value;
            return this;
        }

        public Builder ebsDefaultKmsKeyArn(String value) {
            ebsDefaultKmsKeyArn = value;
            return this;
        }

        public Builder keyMaterialExpiryWarningDays(int value) {
            keyMaterialExpiryWarningDays = value;
            return this;
        }

        public Builder reportLocation(String value) {
            reportLocation = value;
            return this;
        }

        public Builder reportKmsKeyArn(String value) {
            reportKmsKeyArn = value;
            return this;
        }

        public Builder blockSseC(boolean value) {
            blockSseC = value;
            return this;
        }

        public Builder dryRun(boolean value) {
            dryRun = value;
            return this;
        }

        public AuditConfig build() {
            return new AuditConfig(regions, allRegions, requireCustomerManagedKey, securityHubEnabled, findingsTopicArn,
                    tagResources, enableEbsDefaultEncryption, ebsDefaultKmsKeyArn, keyMaterialExpiryWarningDays,
                    reportLocation, reportKmsKeyArn, blockSseC, dryRun);
        }
    }

    public static AuditConfig load(ConfigLoader env) {
        List<String> listed = env.list(REGIONS, ConfigLoader.REGION_LIST,
                "region names separated by commas without spaces (us-east-1,eu-west-1), or all");
        boolean all = listed.equals(List.of("all"));
        List<String> regions = all ? List.of() : listed;
        boolean enableEbs = env.bool(ENABLE_EBS_DEFAULT_ENCRYPTION, false);
        String topic = env.matching(FINDINGS_TOPIC_ARN, ConfigLoader.SNS_TOPIC_ARN, false, "an SNS topic ARN");
        Builder config = builder().regions(regions).allRegions(all)
                .requireCustomerManagedKey(env.bool(REQUIRE_CUSTOMER_MANAGED_KEY, false))
                .securityHubEnabled(env.bool(SECURITY_HUB_ENABLED, false))
                .findingsTopicArn(topic)
                .tagResources(env.bool(TAG_RESOURCES, false))
                .enableEbsDefaultEncryption(enableEbs)
                .ebsDefaultKmsKeyArn(env.matching(EBS_DEFAULT_KMS_KEY_ARN, ConfigLoader.KMS_KEY_ARN, false,
                        "a KMS key ARN (not an alias)"))
                .keyMaterialExpiryWarningDays(env.intInRange(KEY_MATERIAL_EXPIRY_WARNING_DAYS, WARNING_DAYS_DEFAULT,
                        WARNING_DAYS_MIN, WARNING_DAYS_MAX))
                .reportLocation(env.matching(REPORT_LOCATION, REPORT_LOCATION_PATTERN, false,
                        "an S3 URI (s3://bucket/prefix/)"))
                .reportKmsKeyArn(env.matching(REPORT_KMS_KEY_ARN, ConfigLoader.KMS_KEY_OR_ALIAS_ARN, false,
                        "a KMS key ARN or alias ARN"))
                .blockSseC(env.bool(BLOCK_SSE_C, false))
                .dryRun(env.bool(DRY_RUN, true));
        env.validate();
        return config.build();
    }
}
