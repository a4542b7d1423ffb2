package dev.atrest.audit;

import dev.atrest.core.config.ConfigLoader;
import java.util.List;
import java.util.Locale;

/**
 * The function's environment, validated once at init.
 *
 * @param regions configured regions; empty means the function's own region unless {@code allRegions}
 * @param allRegions REGIONS=all: every region enabled for the account (DescribeRegions)
 */
public record AuditConfig(List<String> regions, boolean allRegions, boolean requireCustomerManagedKey,
        boolean securityHubEnabled, String findingsTopicArn, boolean tagResources, boolean enableEbsDefaultEncryption,
        String ebsDefaultKmsKeyArn, boolean dryRun) {

    public static AuditConfig load(ConfigLoader env) {
        String rawRegions = env.optionalString("REGIONS", "");
        boolean all = rawRegions.strip().toLowerCase(Locale.ROOT).equals("all");
        List<String> regions = all ? List.of()
                : env.list("REGIONS", ConfigLoader.REGION, "a comma-separated list of region names (us-east-1,...) or all");
        boolean enableEbs = env.bool("ENABLE_EBS_DEFAULT_ENCRYPTION", false);
        AuditConfig config = new AuditConfig(regions, all,
                env.bool("REQUIRE_CUSTOMER_MANAGED_KEY", false),
                env.bool("SECURITY_HUB_ENABLED", false),
                env.matching("FINDINGS_TOPIC_ARN", ConfigLoader.SNS_TOPIC_ARN, false, "an SNS topic ARN"),
                env.bool("TAG_RESOURCES", false),
                enableEbs,
                env.matching("EBS_DEFAULT_KMS_KEY_ARN", ConfigLoader.KMS_KEY_ARN, false, "a KMS key ARN (not an alias)"),
                env.bool("DRY_RUN", true));
        env.validate();
        return config;
    }
}
