package dev.atrest.audit.check;

import dev.atrest.audit.aws.KmsGateway;
import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * No key that still protects data the audit found is about to make it unreadable (Security Hub KMS.3 asks only that
 * keys are not scheduled for deletion): a key PendingDeletion, Disabled or PendingImport, or whose imported key
 * material expires within KEY_MATERIAL_EXPIRY_WARNING_DAYS, while EBS volumes or snapshots, EFS or FSx file systems,
 * FSx backups, a bucket's default encryption or a region's EBS default still use it. The finding names every
 * dependent and the date. The dependents are the {@link KeyUse} facts of every other check in the region, so this
 * check runs after them; keys in such a state that nothing found depends on pass, so a finding resolves once its
 * dependents are gone or moved.
 */
public final class KmsKeyDataAtRiskCheck implements AuditCheck<KeyInfo, KmsKeyDataAtRiskCheck.KeyRisk> {
    public static final CheckDefinition DEFINITION = new CheckDefinition("kms-key-protects-data", "KMS.3",
            "KMS key that still protects data is scheduled for deletion, disabled or losing its key material",
            Severity.CRITICAL, "AwsKmsKey",
            "Keep the key: cancel its deletion (CancelKeyDeletion, then EnableKey), enable it (EnableKey), or import "
                    + "its key material again with a later ValidTo. Only once every dependent named in the finding "
                    + "is re-encrypted under another key, or deleted, may the key go.");
    /** Dependents named in the finding's details; the reason gives the count of all. */
    static final int NAMED_DEPENDENTS = 50;

    /**
     * A key and what depends on it.
     *
     * @param dependents the resources found using it, by their findings' resource ids, sorted
     */
    public record KeyRisk(KeyInfo key, String resourceId, String region, List<String> dependents) {}

    private final KmsGateway kms;

    public KmsKeyDataAtRiskCheck(KmsGateway kms) {
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
        return Set.of("kms:ListKeys", "kms:DescribeKey");
    }

    @Override
    public Set<FactKind<?>> consumes() {
        return Set.of(KeyUse.KIND);
    }

    /**
     * Every key some resource of the region uses, and every key of the region in a state that would lose data. When
     * another check could not read the region, keys with known dependents are still judged (their findings are
     * true), and the scope then fails: a key with no known dependent may have unknown ones.
     */
    @Override
    public void list(AuditRun run, List<String> regions, Consumer<KeyInfo> out) {
        for (String region : regions) {
            Map<String, KeyInfo> keys = new LinkedHashMap<>();
            for (KeyUse use : uses(run, region)) {
                KeyInfo key = run.keys().key(region, use.keyId());
                keys.putIfAbsent(key.arn() != null ? key.arn() : key.reference(), key);
            }
            boolean complete = run.facts().complete(KeyUse.KIND, region);
            if (complete) {
                for (KeyInfo key : run.keys().inventory(region)) {
                    if (key.arn() != null && risk(key, run.context()) != null) {
                        keys.putIfAbsent(key.arn(), key);
                    }
                }
            }
            keys.values().forEach(out);
            if (!complete) {
                // As retryable as the read it depends on: a throttled listing must retry the run, not fail it.
                AwsFailure.Kind kind = run.facts().incompleteMayPassLater(KeyUse.KIND, region)
                        ? AwsFailure.Kind.RETRYABLE : AwsFailure.Kind.PRECONDITION_FAILED;
                throw new AwsFailure(kind, DEFINITION.id() + " " + region, null,
                        "another check could not read " + region + ", so keys without a known dependent may have "
                                + "unknown ones: only keys with known dependents were judged", null);
            }
        }
    }

    private static List<KeyUse> uses(AuditRun run, String region) {
        return run.facts().all(KeyUse.KIND).stream().filter(u -> u.region().equals(region)).toList();
    }

    @Override
    public boolean audits(String resourceId) {
        return ResourceArns.id(resourceId, "kms", "key/").isPresent();
    }

    @Override
    public Optional<KeyInfo> find(AuditRun run, String region, String resourceId) {
        return kms.key(region, resourceId);
    }

    @Override
    public String region(KeyInfo key) {
        String region = key.arn() == null ? null : ResourceArns.region(key.arn());
        return region != null ? region : ResourceArns.region(key.reference());
    }

    @Override
    public KeyRisk describe(AuditRun run, KeyInfo key) {
        String region = region(key);
        Set<String> dependents = new TreeSet<>();
        for (KeyUse use : uses(run, region)) {
            KeyInfo used = run.keys().key(region, use.keyId());
            if (key.arn() != null ? key.arn().equals(used.arn()) : key.reference().equals(used.reference())) {
                dependents.add(use.resourceId());
            }
        }
        return new KeyRisk(key, key.arn() != null ? key.arn() : key.reference(), region, List.copyOf(dependents));
    }

    /** Why the key would lose its data; null when it would not. */
    static String risk(KeyInfo key, RunContext context) {
        if (key.state() == null) {
            return null;
        }
        switch (key.state()) {
            case "PendingDeletion":
            case "PendingReplicaDeletion":
                return "is scheduled for deletion" + (key.deletionDate() == null ? "" : " on " + key.deletionDate());
            case "Disabled":
                return "is disabled";
            case "PendingImport":
                return "has no key material (PendingImport)";
            default:
                break;
        }
        Duration warning = Duration.ofDays(context.config().keyMaterialExpiryWarningDays());
        if (key.validTo() != null && !key.validTo().isAfter(context.now().plus(warning))) {
            return "has imported key material that expires on " + key.validTo();
        }
        return null;
    }

    @Override
    public Finding evaluate(KeyRisk k, RunContext context) {
        KeyInfo key = k.key();
        Map<String, String> details = new LinkedHashMap<>();
        if (key.state() != null) {
            details.put("keyState", key.state());
        }
        if (key.deletionDate() != null) {
            details.put("deletionDate", key.deletionDate().toString());
        }
        if (key.validTo() != null) {
            details.put("keyMaterialValidTo", key.validTo().toString());
        }
        int n = k.dependents().size();
        details.put("dependentCount", Integer.toString(n));
        if (n > 0) {
            List<String> named = new ArrayList<>(k.dependents().subList(0, Math.min(n, NAMED_DEPENDENTS)));
            details.put("dependents", String.join(",", named) + (n > named.size() ? ",..." : ""));
        }
        String dependents = n + " resource" + (n == 1 ? "" : "s") + " (" + String.join(", ",
                k.dependents().subList(0, Math.min(n, 5))) + (n > 5 ? ", ..." : "") + ")";
        if (!key.described()) {
            boolean failed = n > 0;
            return DEFINITION.finding(context, failed ? ComplianceStatus.FAILED : ComplianceStatus.PASSED,
                    k.resourceId(), k.region(), "key could not be described (" + key.failure() + ")"
                            + (failed ? ": whether the " + dependents + " under it can still be read is unknown"
                                    : ""), Map.of(), details);
        }
        String risk = risk(key, context);
        if (risk == null) {
            return DEFINITION.finding(context, ComplianceStatus.PASSED, k.resourceId(), k.region(),
                    "key is " + key.state() + (key.validTo() == null ? "" : ", key material valid to "
                            + key.validTo()), Map.of(), details);
        }
        if (n == 0) {
            return DEFINITION.finding(context, ComplianceStatus.PASSED, k.resourceId(), k.region(),
                    "key " + risk + ", but no resource the audit found depends on it", Map.of(), details);
        }
        return DEFINITION.finding(context, ComplianceStatus.FAILED, k.resourceId(), k.region(),
                "key " + risk + " while " + dependents + (n == 1 ? " still depends" : " still depend")
                        + " on it: their data becomes unreadable",
                Map.of(), details);
    }
}
