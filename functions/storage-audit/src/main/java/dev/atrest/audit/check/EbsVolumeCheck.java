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

/** Every EBS volume is encrypted (Security Hub EC2.3). The audit never changes volumes: it reports and tags. */
public final class EbsVolumeCheck implements AuditCheck<VolumeState, VolumeState> {
    public static final CheckDefinition DEFINITION = new CheckDefinition("ebs-volume-encrypted", "EC2.3",
            "EBS volume is not encrypted at rest as required", Severity.MEDIUM, "AwsEc2Volume",
            "An EBS volume cannot be encrypted in place: snapshot it, copy the snapshot with encryption under a "
                    + "customer managed KMS key, create a volume from the copy and swap it in (stop the instance, "
                    + "detach, attach); turn on EBS encryption by default so new volumes are encrypted.");

    private final Ec2Gateway ec2;

    public EbsVolumeCheck(Ec2Gateway ec2) {
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
        return Set.of("ec2:DescribeVolumes", "kms:DescribeKey");
    }

    @Override
    public Optional<ResourceTagging> tagging() {
        return Optional.of(ResourceTagging.ec2(ec2, "volumeId"));
    }

    @Override
    public void list(AuditRun run, List<String> regions, Consumer<VolumeState> out) {
        for (String region : regions) {
            ec2.volumes(region, run.context().accountId(), run.context().partition(), out);
        }
    }

    @Override
    public boolean audits(String resourceId) {
        return ResourceArns.id(resourceId, "ec2", "volume/").isPresent();
    }

    @Override
    public Optional<VolumeState> find(AuditRun run, String region, String resourceId) {
        return ResourceArns.id(resourceId, "ec2", "volume/").flatMap(id -> ec2.volume(region, run.context().accountId(),
                run.context().partition(), id));
    }

    @Override
    public String region(VolumeState volume) {
        return volume.region();
    }

    @Override
    public VolumeState describe(AuditRun run, VolumeState volume) {
        return volume.withKeyManager(CustomerManagedKeyRule.lookUp(run, volume.region(), volume.encrypted(),
                volume.kmsKeyId()));
    }

    @Override
    public Set<FactKind<?>> produces() {
        return Set.of(KeyUse.KIND);
    }

    @Override
    public void share(VolumeState v, RunFacts facts) {
        KeyUse.share(facts, v.region(), v.kmsKeyId(), v.arn(), DEFINITION.id());
    }

    @Override
    public Finding evaluate(VolumeState v, RunContext context) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("volumeId", v.volumeId());
        if (!v.attachedInstanceIds().isEmpty()) {
            details.put("attachedTo", String.join(",", v.attachedInstanceIds()));
        }
        if (v.kmsKeyId() != null) {
            details.put("kmsKeyId", v.kmsKeyId());
        }
        String where = v.attachedInstanceIds().isEmpty() ? "unattached"
                : "attached to " + String.join(", ", v.attachedInstanceIds());
        String what = "volume (" + where + ")";
        String unmet = v.encrypted() ? CustomerManagedKeyRule.unmet(context, what, v.kmsKeyId(), v.keyManager()) : null;
        boolean passed = v.encrypted() && unmet == null;
        String reason = !v.encrypted() ? what + " is not encrypted" : unmet != null ? unmet
                : what + " is encrypted" + (context.config().requireCustomerManagedKey()
                        ? " with a customer managed key" : "");
        return DEFINITION.finding(context, passed ? ComplianceStatus.PASSED : ComplianceStatus.FAILED, v.arn(),
                v.region(), reason, v.tags(), details);
    }
}
