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
        String ebsDefaultKmsKeyArn, boolean dryRun) {

    /**
     * The ARNs are split by position later (the topic's region, the key's region), so a config built in code gets
     * the same shape check as one loaded from the environment: a bad value fails here, naming the variable.
     */
    public AuditConfig {
        regions = regions == null ? List.of() : List.copyOf(regions);
        requireShape("FINDINGS_TOPIC_ARN", findingsTopicArn, ConfigLoader.SNS_TOPIC_ARN, "an SNS topic ARN");
        requireShape("EBS_DEFAULT_KMS_KEY_ARN", ebsDefaultKmsKeyArn, ConfigLoader.KMS_KEY_ARN,
                "a KMS key ARN (not an alias)");
    }

    private static void requireShape(String name, String value, Pattern pattern, String expected) {
        if (value != null && !pattern.matcher(value).matches()) {
            throw new ConfigException("Invalid configuration: " + name + "='" + abbreviate(value)
                    + "' is invalid: expected " + expected);
        }
    }

    public static AuditConfig load(ConfigLoader env) {
        List<String> listed = env.list("REGIONS", ConfigLoader.REGION_LIST,
                "region names separated by commas without spaces (us-east-1,eu-west-1), or all");
        boolean all = listed.equals(List.of("all"));
        List<String> regions = all ? List.of() : listed;
        boolean enableEbs = env.bool("ENABLE_EBS_DEFAULT_ENCRYPTION", false);
        String topic = env.matching("FINDINGS_TOPIC_ARN", ConfigLoader.SNS_TOPIC_ARN, false, "an SNS topic ARN");
        AuditConfig config = new AuditConfig(regions, all,
                env.bool("REQUIRE_CUSTOMER_MANAGED_KEY", false),
                env.bool("SECURITY_HUB_ENABLED", false),
                topic,
                env.bool("TAG_RESOURCES", false),
                enableEbs,
                env.matching("EBS_DEFAULT_KMS_KEY_ARN", ConfigLoader.KMS_KEY_ARN, false, "a KMS key ARN (not an alias)"),
                env.bool("DRY_RUN", true));
        env.validate();
        return config;
    }
}
