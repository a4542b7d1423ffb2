package dev.atrest.audit.sink;

import dev.atrest.audit.aws.AccountIdentity;
import dev.atrest.audit.aws.SecurityHubGateway;
import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.FindingSink;
import dev.atrest.core.findings.FindingsReport;
import dev.atrest.core.summary.ItemResult.Outcome;
import dev.atrest.core.summary.ItemResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Imports the run's non-compliant findings (active) and the resolved ones (archived, passed) into the Security Hub of
 * each finding's region. Compliant resources that never failed are not imported: the hub holds the open problems and
 * their closure, not an inventory.
 */
public final class SecurityHubSink implements FindingSink {
    private final SecurityHubGateway hub;

    public SecurityHubSink(SecurityHubGateway hub) {
        this.hub = hub;
    }

    @Override
    public String name() {
        return "securityhub";
    }

    @Override
    public List<ItemResult> publish(FindingsReport report) {
        Map<String, List<Finding>> byRegion = new TreeMap<>();
        for (Finding f : report.failed()) {
            byRegion.computeIfAbsent(f.region(), r -> new ArrayList<>()).add(f);
        }
        for (Finding f : report.resolved()) {
            byRegion.computeIfAbsent(f.region(), r -> new ArrayList<>()).add(f);
        }
        Instant now = Instant.now();
        List<ItemResult> out = new ArrayList<>();
        for (Map.Entry<String, List<Finding>> e : byRegion.entrySet()) {
            String region = e.getKey();
            List<Finding> findings = e.getValue();
            String account = findings.get(0).accountId();
            String target = SecurityHubGateway.productArn(AccountIdentity.partition(region), region, account);
            long archived = findings.stream().filter(f -> !f.failed()).count();
            try {
                SecurityHubGateway.ImportResult r = hub.importFindings(region, AccountIdentity.partition(region), account,
                        findings, now);
                Map<String, Object> details = Map.of("imported", r.succeeded(), "rejected", r.failed(),
                        "active", findings.size() - archived, "archived", archived);
                out.add(r.failed() == 0
                        ? new ItemResult(target, "IMPORT_FINDINGS", Outcome.CHANGED, "findings imported", details)
                        : new ItemResult(target, "IMPORT_FINDINGS", Outcome.FAILED,
                                r.failed() + " findings rejected, first: " + r.firstError(), details));
            } catch (AwsFailure f) {
                out.add(new ItemResult(target, "IMPORT_FINDINGS",
                        f.kind() == AwsFailure.Kind.RETRYABLE ? Outcome.RETRYABLE_FAILURE : Outcome.FAILED,
                        f.getMessage(), Map.of("kind", f.kind().name())));
            }
        }
        return out;
    }
}
