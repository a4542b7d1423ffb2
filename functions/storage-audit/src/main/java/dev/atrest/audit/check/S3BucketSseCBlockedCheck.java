package dev.atrest.audit.check;

import dev.atrest.audit.AuditConfig;
import dev.atrest.audit.aws.S3Gateway;
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
 * Every bucket blocks SSE-C writes (BlockedEncryptionTypes in its default encryption): objects under
 * customer-provided keys escape KMS (no rotation, no CloudTrail record of key use, no revocation). Security Hub has no
 * control for it. With BLOCK_SSE_C (and DRY_RUN=false) it adds the block itself, keeping the bucket's default rule
 * exactly as it was, and judges what it reads back. Existing SSE-C objects stay readable either way.
 */
public final class S3BucketSseCBlockedCheck implements AuditCheck<S3Gateway.Bucket, S3BucketSseCBlockedCheck.SseCState> {
    public static final CheckDefinition DEFINITION = new CheckDefinition("s3-bucket-blocks-sse-c", null,
            "S3 bucket does not block SSE-C writes", Severity.MEDIUM, "AwsS3Bucket",
            "Add SSE-C to the BlockedEncryptionTypes of the bucket's default encryption rule (PutBucketEncryption "
                    + "with the existing rule and the block: the call replaces the whole configuration), or let atrest "
                    + "do it (BlockSseC=true, DryRun=false). Move writers that send SSE-C headers to SSE-KMS first.");
    static final String ACTION = "BLOCK_SSE_C";

    /**
     * A bucket's SSE-C setting.
     *
     * @param sseAlgorithm and {@code kmsKeyId}: the default rule, kept to show a remediation left it as it was
     */
    public record SseCState(String name, String arn, String region, boolean blocked, List<String> blockedTypes,
            String sseAlgorithm, String kmsKeyId) {}

    private final S3Gateway s3;

    public S3BucketSseCBlockedCheck(S3Gateway s3) {
        this.s3 = s3;
    }

    @Override
    public CheckDefinition definition() {
        return DEFINITION;
    }

    @Override
    public CheckReach reach() {
        return CheckReach.ACCOUNT;
    }

    @Override
    public Set<String> readActions() {
        return Set.of("s3:ListAllMyBuckets", "s3:GetBucketLocation", "s3:GetEncryptionConfiguration");
    }

    @Override
    public List<Permission> remediationPermissions() {
        return List.of(Permission.enabledBy(AuditConfig.BLOCK_SSE_C, "s3:PutEncryptionConfiguration"));
    }

    @Override
    public void list(AuditRun run, List<String> regions, Consumer<S3Gateway.Bucket> out) {
        S3BucketDefaultEncryptionCheck.buckets(run, s3).forEach(out);
    }

    @Override
    public boolean audits(String resourceId) {
        return S3BucketDefaultEncryptionCheck.bucketName(resourceId).isPresent();
    }

    @Override
    public Optional<S3Gateway.Bucket> find(AuditRun run, String region, String resourceId) {
        return S3BucketDefaultEncryptionCheck.bucketName(resourceId)
                .flatMap(name -> S3BucketDefaultEncryptionCheck.bucket(run, s3, name));
    }

    @Override
    public String region(S3Gateway.Bucket bucket) {
        return bucket.region();
    }

    @Override
    public SseCState describe(AuditRun run, S3Gateway.Bucket b) {
        return state(run, b, S3BucketDefaultEncryptionCheck.encryption(run, s3, b.name()));
    }

    private static SseCState state(AuditRun run, S3Gateway.Bucket b, S3Gateway.DefaultEncryption enc) {
        return new SseCState(b.name(), "arn:" + run.context().partition() + ":s3:::" + b.name(), b.region(),
                enc.blocksSseC(), enc.blockedEncryptionTypes(), enc.sseAlgorithm(), enc.kmsKeyId());
    }

    @Override
    public SseCState remediate(AuditRun run, SseCState before, Consumer<ItemResult> actions) {
        if (before.blocked() || !run.context().config().blockSseC()) {
            return before;
        }
        String resource = "s3-sse-c/" + before.name();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("bucket", before.name());
        if (run.context().config().dryRun()) {
            actions.accept(new ItemResult(resource, ACTION, Outcome.CHANGED,
                    "dry run: would block SSE-C writes, keeping the default encryption rule", details));
            return before;
        }
        boolean written;
        try {
            written = s3.blockSseC(before.name());
        } catch (AwsFailure f) {
            actions.accept(new ItemResult(resource, ACTION, outcome(f), f.getMessage(), details));
            // Nothing was written (or S3 refused it): the finding reports the state read before.
            return before;
        }
        S3Gateway.DefaultEncryption after;
        try {
            // Read back directly: the run's shared read is the state before the change.
            after = s3.defaultEncryption(before.name());
        } catch (AwsFailure f) {
            details.put("verified", false);
            actions.accept(new ItemResult(resource, ACTION, outcome(f), "SSE-C block written, but reading it back "
                    + "failed: " + f.getMessage(), details));
            // The bucket's region scope then fails: no finding is resolved on an unverified change.
            throw f;
        }
        SseCState now = state(run, new S3Gateway.Bucket(before.name(), before.region()), after);
        boolean keptRule = java.util.Objects.equals(before.sseAlgorithm() == null ? "AES256" : before.sseAlgorithm(),
                now.sseAlgorithm()) && java.util.Objects.equals(before.kmsKeyId(), now.kmsKeyId());
        boolean verified = now.blocked() && keptRule;
        details.put("written", written);
        details.put("verified", verified);
        actions.accept(new ItemResult(resource, ACTION, verified ? Outcome.CHANGED : Outcome.CRITICAL,
                verified ? "SSE-C writes blocked, default encryption " + now.sseAlgorithm() + " kept"
                        : "changed, but reading back shows blocked=" + now.blocked() + " default "
                                + now.sseAlgorithm() + " key " + now.kmsKeyId() + " (before: " + before.sseAlgorithm()
                                + " key " + before.kmsKeyId() + ")", details));
        return now;
    }

    private static Outcome outcome(AwsFailure f) {
        return f.kind() == AwsFailure.Kind.RETRYABLE ? Outcome.RETRYABLE_FAILURE : Outcome.FAILED;
    }

    @Override
    public Finding evaluate(SseCState b, RunContext context) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("bucket", b.name());
        if (!b.blockedTypes().isEmpty()) {
            details.put("blockedEncryptionTypes", String.join(",", b.blockedTypes()));
        }
        return DEFINITION.finding(context, b.blocked() ? ComplianceStatus.PASSED : ComplianceStatus.FAILED, b.arn(),
                b.region(), b.blocked() ? "bucket blocks SSE-C writes"
                        : "bucket does not block SSE-C writes: objects written with customer-provided keys escape KMS "
                                + "(no rotation, no record of key use, no revocation)", Map.of(), details);
    }
}
