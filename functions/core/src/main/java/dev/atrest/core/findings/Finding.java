package dev.atrest.core.findings;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The result of one check on one resource: the single findings model every sink (Security Hub, SNS, metrics, logs,
 * tags) is fed from.
 *
 * @param id stable: the same check on the same resource in the same region gives the same id run after run, so
 *     re-imports update a finding instead of duplicating it
 * @param checkId the rule that produced it (e.g. {@code ebs-volume-encrypted})
 * @param controlId the matching AWS Security Hub control (e.g. {@code EC2.3})
 * @param resourceType ASFF resource type (e.g. {@code AwsEc2Volume})
 * @param resourceId the resource's ARN (or the account resource for account-level settings)
 * @param reason why it passed or failed, in words an operator can act on
 * @param remediation what to do about a failure; for resources that cannot be fixed in place, the migration path
 * @param resourceTags the resource's tags when it was described (sinks use them; tagging reads its own marker here)
 * @param details check-specific facts (attached instance, KMS key...)
 */
public record Finding(
        String id,
        String checkId,
        String controlId,
        String title,
        Severity severity,
        ComplianceStatus status,
        String resourceType,
        String resourceId,
        String region,
        String accountId,
        String reason,
        String remediation,
        Map<String, String> resourceTags,
        Map<String, String> details,
        Instant observedAt) {

    public Finding {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(severity, "severity");
        id = id == null ? stableId(checkId, region, resourceId) : id;
        resourceTags = resourceTags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(resourceTags));
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(details));
    }

    /**
     * Derived only from what identifies the question asked (check, region, resource), never from the answer or the
     * time, so a fixed resource keeps its id and its earlier finding can be resolved.
     */
    public static String stableId(String checkId, String region, String resourceId) {
        return "atrest/" + checkId + "/" + region + "/" + resourceId;
    }

    public boolean failed() {
        return status == ComplianceStatus.FAILED;
    }

    public FindingScope scope() {
        return FindingScope.of(this);
    }

    /** The same finding, now passing: how a finding from an earlier run is resolved. */
    public Finding resolved(String why, Instant at) {
        return new Finding(id, checkId, controlId, title, severity, ComplianceStatus.PASSED, resourceType, resourceId,
                region, accountId, why, remediation, resourceTags, details, at);
    }
}
