package dev.atrest.audit.check;

import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import java.util.Map;
import java.util.Objects;

/**
 * What a check is, as its findings carry it.
 *
 * @param id the check id in finding ids, summaries, metrics and tags; never change it, or every open finding is
 *     orphaned
 * @param controlId the matching AWS Security Hub control, null where Security Hub has none
 * @param resourceType the ASFF resource type of what it looks at
 * @param remediation what to do about a failure; for resources that cannot be fixed in place, the migration path
 */
public record CheckDefinition(String id, String controlId, String title, Severity severity, String resourceType,
        String remediation) {

    public CheckDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(resourceType, "resourceType");
    }

    /** This check's finding on one resource; its id is {@link Finding#stableId} of check, region and resource. */
    public Finding finding(RunContext context, ComplianceStatus status, String resourceId, String region, String reason,
            Map<String, String> tags, Map<String, String> details) {
        return new Finding(null, id, controlId, title, severity, status, resourceType, resourceId, region,
                context.accountId(), reason, remediation, tags, details, context.now());
    }
}
