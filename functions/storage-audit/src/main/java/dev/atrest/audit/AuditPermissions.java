package dev.atrest.audit;

import dev.atrest.audit.check.CheckRegistry;
import dev.atrest.audit.check.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every IAM action the audit function needs: its checks' ({@link CheckRegistry#permissions()}) and its own, each with
 * the setting it depends on. The template's policies grant exactly these, each group in a statement conditioned on
 * its setting ({@code AuditPermissionsTest} holds them to each other).
 */
public final class AuditPermissions {
    /** What the function needs beyond its checks: choosing the regions, and the optional sinks and report. */
    static final List<Permission> FUNCTION = List.of(
            Permission.always("ec2:DescribeRegions"), // REGIONS=all lists the regions enabled for the account
            Permission.enabledBy(AuditConfig.SECURITY_HUB_ENABLED, "securityhub:BatchImportFindings",
                    "securityhub:GetFindings"),
            Permission.enabledBy(AuditConfig.FINDINGS_TOPIC_ARN, "sns:Publish"),
            // The findings report: objects under the location's prefix, SSE-KMS under the report key.
            Permission.enabledBy(AuditConfig.REPORT_LOCATION, "s3:PutObject", "kms:GenerateDataKey"));

    private AuditPermissions() {}

    public static List<Permission> of(CheckRegistry checks) {
        List<Permission> out = new ArrayList<>(FUNCTION);
        out.addAll(checks.permissions());
        return List.copyOf(out);
    }

    /** The actions by the setting that turns them on (empty: always needed). */
    public static Map<Optional<String>, Set<String>> bySetting(List<Permission> permissions) {
        Map<Optional<String>, Set<String>> out = new TreeMap<>((a, b) -> a.orElse("").compareTo(b.orElse("")));
        for (Permission p : permissions) {
            out.computeIfAbsent(Optional.ofNullable(p.enabledBy()), k -> new TreeSet<>()).addAll(p.actions());
        }
        return out;
    }
}
