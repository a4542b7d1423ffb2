package dev.atrest.audit.check;

import dev.atrest.audit.aws.Ec2Gateway;
import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Every EBS snapshot the account owns is encrypted (Security Hub has no control for it). Reports and tags. */
public final class EbsSnapshotCheck implements AuditCheck<SnapshotState, SnapshotState> {
    public static final CheckDefinition DEFINITION = new CheckDefinition("ebs-snapshot-encrypted", null,
            "EBS snapshot is not encrypted at rest as required", Severity.MEDIUM, "Other",
            "Copy the snapshot with Encrypted=true and a customer managed KMS key (CopySnapshot), move dependants "
                    + "(AMIs, restores) to the copy, then delete the unencrypted snapshot.");

    private final Ec2Gateway ec2;

    public EbsSnapshotCheck(Ec2Gateway ec2) {
        this.ec2 = ec2;
    }

    @Override
    public CheckDefinition definition() {
        return DEFINITION;
    }

    @Override
    public CheckReach reach() {
        return CheckReach.REGION;
    }

    @Override
    public Set<String> readActions() {
        return Set.of("ec2:DescribeSnapshots", "kms:DescribeKey");
    }

    @Override
    public Optional<ResourceTagging> tagging() {
        return Optional.of(ResourceTagging.ec2(ec2, "snapshotId"));
    }

    @Override
    public void list(AuditRun run, List<String> regions, Consumer<SnapshotState> out) {
        for (String region : regions) {
            ec2.snapshots(region, run.context().partition(), out);
        }
    }

    @Override
    public boolean audits(String resourceId) {
        return ResourceArns.id(resourceId, "ec2", "snapshot/").isPresent();
    }

    @Override
    public Optional<SnapshotState> find(AuditRun run, String region, String resourceId) {
        return ResourceArns.id(resourceId, "ec2", "snapshot/")
                .flatMap(id -> ec2.snapshot(region, run.context().partition(), id));
    }

    @Override
    public String region(SnapshotState snapshot) {
        return snapshot.region();
    }

    @Override
    public SnapshotState describe(AuditRun run, SnapshotState snapshot) {
        return snapshot.withKeyManager(CustomerManagedKeyRule.lookUp(run, snapshot.region(), snapshot.encrypted(),
                snapshot.kmsKeyId()));
    }

    @Override
    public Set<FactKind<?>> produces() {
        return Set.of(KeyUse.KIND);
    }

    @Override
    public void share(SnapshotState s, RunFacts facts) {
        KeyUse.share(facts, s.region(), s.kmsKeyId(), s.arn(), DEFINITION.id());
    }

    @Override
    public Finding evaluate(SnapshotState s, RunContext context) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("snapshotId", s.snapshotId());
        if (s.volumeId() != null) {
            details.put("volumeId", s.volumeId());
        }
        if (s.kmsKeyId() != null) {
            details.put("kmsKeyId", s.kmsKeyId());
        }
        String unmet = s.encrypted() ? CustomerManagedKeyRule.unmet(context, "snapshot", s.kmsKeyId(), s.keyManager())
                : null;
        boolean passed = s.encrypted() && unmet == null;
        String reason = !s.encrypted() ? "snapshot is not encrypted" : unmet != null ? unmet
                : "snapshot is encrypted" + (context.config().requireCustomerManagedKey()
                        ? " with a customer managed key" : "");
        return DEFINITION.finding(context, passed ? ComplianceStatus.PASSED : ComplianceStatus.FAILED, s.arn(),
                s.region(), reason, s.tags(), details);
    }
}
