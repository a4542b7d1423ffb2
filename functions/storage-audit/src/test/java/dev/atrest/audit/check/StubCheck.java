package dev.atrest.audit.check;

import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** A check with nothing behind it, for the registry's rules: only its id and the facts it gives and reads matter. */
record StubCheck(String id, Set<FactKind<?>> produces, Set<FactKind<?>> consumes) implements AuditCheck<String, String> {

    static StubCheck of(String id) {
        return new StubCheck(id, Set.of(), Set.of());
    }

    @Override
    public CheckDefinition definition() {
        return new CheckDefinition(id, null, "stub " + id, Severity.LOW, "Other", null);
    }

    @Override
    public CheckReach reach() {
        return CheckReach.REGION;
    }

    @Override
    public void list(AuditRun run, List<String> regions, Consumer<String> out) {
        regions.forEach(out);
    }

    @Override
    public Optional<String> find(AuditRun run, String region, String resourceId) {
        return Optional.of(region);
    }

    @Override
    public boolean audits(String resourceId) {
        return resourceId.startsWith(id + ":");
    }

    @Override
    public String region(String resource) {
        return resource;
    }

    @Override
    public String describe(AuditRun run, String resource) {
        return resource;
    }

    @Override
    public Finding evaluate(String state, RunContext context) {
        return definition().finding(context, ComplianceStatus.PASSED, id + ":" + state, state, "stub", Map.of(),
                Map.of());
    }

    @Override
    public Set<String> readActions() {
        return Set.of("stub:Read" + id);
    }
}
