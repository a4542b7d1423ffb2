package dev.atrest.audit.check;

import dev.atrest.audit.AuditConfig;
import dev.atrest.audit.aws.Ec2Gateway;
import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import dev.atrest.core.summary.ItemResult;
import dev.atrest.core.summary.ItemResult.Outcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * EBS encryption by default is on in every audited region, with a customer managed key where required (Security Hub
 * EC2.7). The one check that may change what it audits: with ENABLE_EBS_DEFAULT_ENCRYPTION it turns the setting on
 * where it is off ({@link EbsRemediation}), verifies by reading it back and judges the state it read back. The
 * resource is the region's setting, one per region, named by the account resource.
 */
public final class EbsDefaultEncryptionCheck implements AuditCheck<String, EbsDefaultsState> {
    public static final CheckDefinition DEFINITION = new CheckDefinition("ebs-default-encryption", "EC2.7",
            "EBS encryption by default is off or does not use a customer managed key", Severity.MEDIUM, "AwsAccount",
            "Turn on EBS encryption by default in this region (EnableEbsEncryptionByDefault) and set a customer "
                    + "managed key (ModifyEbsDefaultKmsKeyId); it affects new volumes only.");
    static final String ACTION = "ENABLE_EBS_DEFAULT_ENCRYPTION";

    private final Ec2Gateway ec2;

    public EbsDefaultEncryptionCheck(Ec2Gateway ec2) {
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
        return Set.of("ec2:GetEbsEncryptionByDefault", "ec2:GetEbsDefaultKmsKeyId", "kms:DescribeKey");
    }

    @Override
    public List<Permission> remediationPermissions() {
        return List.of(Permission.enabledBy(AuditConfig.ENABLE_EBS_DEFAULT_ENCRYPTION,
                "ec2:EnableEbsEncryptionByDefault", "ec2:ModifyEbsDefaultKmsKeyId"));
    }

    /** The region itself: its setting is read in {@link #describe}. */
    @Override
    public void list(AuditRun run, List<String> regions, Consumer<String> out) {
        regions.forEach(out);
    }

    @Override
    public boolean audits(String resourceId) {
        return resourceId != null && resourceId.startsWith("AWS::::Account:");
    }

    @Override
    public Optional<String> find(AuditRun run, String region, String resourceId) {
        return run.context().accountResource().equals(resourceId) ? Optional.of(region) : Optional.empty();
    }

    @Override
    public String region(String region) {
        return region;
    }

    @Override
    public EbsDefaultsState describe(AuditRun run, String region) {
        boolean on = ec2.encryptionByDefault(region);
        String key = ec2.defaultKmsKeyId(region);
        KeyManager manager = on && run.context().config().requireCustomerManagedKey()
                ? run.keys().manager(region, key) : null;
        return new EbsDefaultsState(region, run.context().accountResource(), on, key, manager);
    }

    @Override
    public EbsDefaultsState remediate(AuditRun run, EbsDefaultsState before, Consumer<ItemResult> actions) {
        AuditConfig config = run.context().config();
        EbsRemediation.Decision decision = EbsRemediation.decide(before, config.enableEbsDefaultEncryption(),
                config.ebsDefaultKmsKeyArn());
        if (decision.action() == EbsRemediation.Action.NONE) {
            return before;
        }
        String region = before.region();
        String resource = "ebs-default-encryption/" + region;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("action", decision.action().name());
        if (decision.keyArn() != null) {
            details.put("kmsKeyId", decision.keyArn());
        }
        if (config.dryRun()) {
            actions.accept(new ItemResult(resource, ACTION, Outcome.CHANGED, "dry run: would " + decision.reason(),
                    details));
            return before;
        }
        try {
            if (decision.keyArn() != null) {
                ec2.setDefaultKmsKey(region, decision.keyArn());
                details.put("defaultKeySet", true);
            }
            ec2.enableEncryptionByDefault(region);
        } catch (AwsFailure f) {
            actions.accept(new ItemResult(resource, ACTION, outcome(f), f.getMessage(), details));
            // A key set before enabling failed is visible in the next audit; this one reports the state it read.
            return before;
        }
        // Verify by reading back: the finding reports the state after the change, not the intent.
        EbsDefaultsState after;
        try {
            after = describe(run, region);
        } catch (AwsFailure f) {
            // The change was made: it must be in the summary even though it could not be verified. The scope then
            // fails, so the region's earlier finding is not resolved on an unverified change.
            details.put("verified", false);
            actions.accept(new ItemResult(resource, ACTION, outcome(f),
                    "changed (" + decision.reason() + "), but reading it back failed: " + f.getMessage(), details));
            throw f;
        }
        boolean verified = after.encryptionByDefault()
                && (decision.keyArn() == null || decision.keyArn().equals(after.defaultKeyId()));
        details.put("verified", verified);
        actions.accept(new ItemResult(resource, ACTION, verified ? Outcome.CHANGED : Outcome.CRITICAL,
                verified ? decision.reason() : "changed, but reading back shows " + after, details));
        return after;
    }

    private static Outcome outcome(AwsFailure f) {
        return f.kind() == AwsFailure.Kind.RETRYABLE ? Outcome.RETRYABLE_FAILURE : Outcome.FAILED;
    }

    @Override
    public Set<FactKind<?>> produces() {
        return Set.of(KeyUse.KIND);
    }

    /** New volumes of the region are encrypted under the default key. */
    @Override
    public void share(EbsDefaultsState d, RunFacts facts) {
        if (d.encryptionByDefault()) {
            KeyUse.share(facts, d.region(), d.defaultKeyId(), d.accountResource(), DEFINITION.id());
        }
    }

    @Override
    public Finding evaluate(EbsDefaultsState d, RunContext context) {
        boolean requireCustomerManagedKey = context.config().requireCustomerManagedKey();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("encryptionByDefault", Boolean.toString(d.encryptionByDefault()));
        if (d.defaultKeyId() != null) {
            details.put("defaultKmsKeyId", d.defaultKeyId());
        }
        ComplianceStatus status;
        String reason;
        if (!d.encryptionByDefault()) {
            status = ComplianceStatus.FAILED;
            reason = "EBS encryption by default is off";
        } else if (requireCustomerManagedKey && d.defaultKeyManager() != KeyManager.CUSTOMER) {
            status = ComplianceStatus.FAILED;
            reason = d.defaultKeyManager() == KeyManager.AWS
                    ? "EBS encryption by default uses the AWS managed key " + d.defaultKeyId()
                    : "EBS encryption by default uses " + d.defaultKeyId()
                            + ", which could not be verified as customer managed";
        } else {
            status = ComplianceStatus.PASSED;
            reason = "EBS encryption by default is on"
                    + (requireCustomerManagedKey ? " with a customer managed key" : "");
        }
        return DEFINITION.finding(context, status, d.accountResource(), d.region(), reason, Map.of(), details);
    }
}
