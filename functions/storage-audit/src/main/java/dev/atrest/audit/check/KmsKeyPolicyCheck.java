package dev.atrest.audit.check;

import dev.atrest.audit.aws.KmsGateway;
import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * No enabled customer managed key's policy lets everyone use it (Security Hub KMS.5): an Allow to {@code *} without
 * a condition tying the caller to an account or organisation ({@link KeyPolicyExposure}). AWS managed keys are not
 * judged: their policies are AWS's, and limited to the account by {@code kms:CallerAccount}.
 */
public final class KmsKeyPolicyCheck implements AuditCheck<KeyInfo, KmsKeyPolicyCheck.PolicyState> {
    public static final CheckDefinition DEFINITION = new CheckDefinition("kms-key-policy-not-public", "KMS.5",
            "KMS key policy allows everyone to use the key", Severity.CRITICAL, "AwsKmsKey",
            "Edit the key policy (PutKeyPolicy): name the principals that need the key, or add a condition that "
                    + "limits the statement to your account or organisation (aws:PrincipalOrgID, "
                    + "aws:PrincipalAccount, kms:CallerAccount; aws:SourceAccount or aws:SourceArn for service "
                    + "principals).");

    /**
     * A customer managed key and, while it is enabled, its policy.
     *
     * @param policy the key policy; null when the key is not enabled (not read)
     */
    public record PolicyState(String arn, String region, String state, String policy) {}

    private final KmsGateway kms;

    public KmsKeyPolicyCheck(KmsGateway kms) {
        this.kms = kms;
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
        return Set.of("kms:ListKeys", "kms:DescribeKey", "kms:GetKeyPolicy");
    }

    /** The region's customer managed keys. */
    @Override
    public void list(AuditRun run, List<String> regions, Consumer<KeyInfo> out) {
        for (String region : regions) {
            run.keys().inventory(region).stream().filter(k -> k.manager() == KeyManager.CUSTOMER).forEach(out);
        }
    }

    @Override
    public boolean audits(String resourceId) {
        return ResourceArns.id(resourceId, "kms", "key/").isPresent();
    }

    @Override
    public Optional<KeyInfo> find(AuditRun run, String region, String resourceId) {
        return kms.key(region, resourceId).filter(k -> k.manager() == KeyManager.CUSTOMER);
    }

    @Override
    public String region(KeyInfo key) {
        return ResourceArns.region(key.arn());
    }

    @Override
    public PolicyState describe(AuditRun run, KeyInfo key) {
        String region = region(key);
        return new PolicyState(key.arn(), region, key.state(), key.enabled() ? kms.keyPolicy(region, key.arn()) : null);
    }

    @Override
    public Finding evaluate(PolicyState k, RunContext context) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("keyState", String.valueOf(k.state()));
        if (k.policy() == null) {
            return DEFINITION.finding(context, ComplianceStatus.PASSED, k.arn(), k.region(),
                    "key is " + k.state() + ": only enabled keys are judged", Map.of(), details);
        }
        List<KeyPolicyExposure.OpenStatement> open;
        try {
            open = KeyPolicyExposure.openStatements(k.policy());
        } catch (IllegalArgumentException e) {
            return DEFINITION.finding(context, ComplianceStatus.FAILED, k.arn(), k.region(),
                    "key policy could not be read as a policy document (" + e.getMessage()
                            + "): whether it is open is unknown", Map.of(), details);
        }
        if (open.isEmpty()) {
            return DEFINITION.finding(context, ComplianceStatus.PASSED, k.arn(), k.region(),
                    "no statement of the key policy allows everyone", Map.of(), details);
        }
        details.put("openStatements", open.stream().map(KeyPolicyExposure.OpenStatement::statement)
                .collect(Collectors.joining(",")));
        KeyPolicyExposure.OpenStatement first = open.get(0);
        return DEFINITION.finding(context, ComplianceStatus.FAILED, k.arn(), k.region(),
                "key policy statement " + first.statement() + " allows " + first.actions() + " to "
                        + first.why() + (open.size() > 1 ? " (and " + (open.size() - 1) + " more)" : ""),
                Map.of(), details);
    }
}
