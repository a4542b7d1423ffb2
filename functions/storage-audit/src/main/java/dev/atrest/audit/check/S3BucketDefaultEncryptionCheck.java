package dev.atrest.audit.check;

import dev.atrest.audit.aws.S3Gateway;
import dev.atrest.core.aws.Arns;
import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every bucket's default encryption is SSE-KMS (Security Hub S3.17). Buckets are listed once for the account and
 * each belongs to its own region's scope. Buckets are not tagged: bucket tags are one document that a write would
 * replace whole.
 */
public final class S3BucketDefaultEncryptionCheck implements AuditCheck<S3Gateway.Bucket, BucketState> {
    public static final CheckDefinition DEFINITION = new CheckDefinition("s3-bucket-default-kms", "S3.17",
            "S3 bucket default encryption is not SSE-KMS as required", Severity.MEDIUM, "AwsS3Bucket",
            "Set the bucket's default encryption to SSE-KMS with a customer managed key (PutBucketEncryption, "
                    + "BucketKeyEnabled=true); re-encrypt existing objects with the atrest S3 function or S3 Batch "
                    + "Operations.");

    private final S3Gateway s3;

    public S3BucketDefaultEncryptionCheck(S3Gateway s3) {
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
        return Set.of("s3:ListAllMyBuckets", "s3:GetBucketLocation", "s3:GetEncryptionConfiguration",
                "kms:DescribeKey");
    }

    @Override
    public void list(AuditRun run, List<String> regions, Consumer<S3Gateway.Bucket> out) {
        buckets(run, s3).forEach(out);
    }

    /** The account's buckets, listed once per run for every bucket check. */
    static List<S3Gateway.Bucket> buckets(AuditRun run, S3Gateway s3) {
        return run.reads().once("s3:ListBuckets", s3::buckets);
    }

    /** A bucket's encryption configuration, read once per run for every bucket check. */
    static S3Gateway.DefaultEncryption encryption(AuditRun run, S3Gateway s3, String bucket) {
        return run.reads().once("s3:GetBucketEncryption " + bucket, () -> s3.defaultEncryption(bucket));
    }

    @Override
    public boolean audits(String resourceId) {
        return bucketName(resourceId).isPresent();
    }

    /** The bucket wherever it is: {@code region} is not needed, a bucket's name is global. */
    @Override
    public Optional<S3Gateway.Bucket> find(AuditRun run, String region, String resourceId) {
        return bucketName(resourceId).flatMap(name -> bucket(run, s3, name));
    }

    /** One bucket by name, read once per run for every bucket check an event asks. */
    static Optional<S3Gateway.Bucket> bucket(AuditRun run, S3Gateway s3, String name) {
        return run.reads().once("s3:GetBucketLocation " + name, () -> s3.bucket(name));
    }

    /** {@code b} out of {@code arn:aws:s3:::b}; objects ({@code b/key}) and access points are not buckets. */
    static Optional<String> bucketName(String arn) {
        return Arns.parse(arn).filter(a -> a.service().equals("s3") && a.region().isEmpty() && a.accountId().isEmpty())
                .map(a -> a.resourceAsString()).filter(r -> !r.isEmpty() && !r.contains("/") && !r.contains(":"));
    }

    @Override
    public String region(S3Gateway.Bucket bucket) {
        return bucket.region();
    }

    @Override
    public BucketState describe(AuditRun run, S3Gateway.Bucket b) {
        S3Gateway.DefaultEncryption enc = encryption(run, s3, b.name());
        boolean kms = isKms(enc.sseAlgorithm());
        // aws:kms without a key id is S3's AWS managed key, aws/s3: nothing to ask KMS.
        KeyManager manager = !kms ? null : enc.kmsKeyId() == null
                ? (run.context().config().requireCustomerManagedKey() ? KeyManager.AWS : null)
                : CustomerManagedKeyRule.lookUp(run, b.region(), true, enc.kmsKeyId());
        return new BucketState(b.name(), "arn:" + run.context().partition() + ":s3:::" + b.name(), b.region(),
                enc.sseAlgorithm(), enc.kmsKeyId(), manager);
    }

    @Override
    public Set<FactKind<?>> produces() {
        return Set.of(KeyUse.KIND);
    }

    /** New objects are encrypted under the bucket's default key. */
    @Override
    public void share(BucketState b, RunFacts facts) {
        KeyUse.share(facts, b.region(), b.kmsKeyId(), b.arn(), DEFINITION.id());
    }

    @Override
    public Finding evaluate(BucketState b, RunContext context) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("bucket", b.name());
        if (b.sseAlgorithm() != null) {
            details.put("sseAlgorithm", b.sseAlgorithm());
        }
        if (b.kmsKeyId() != null) {
            details.put("kmsKeyId", b.kmsKeyId());
        }
        boolean kms = isKms(b.sseAlgorithm());
        String unmet = kms ? CustomerManagedKeyRule.unmet(context, "bucket default encryption "
                + b.sseAlgorithm(), b.kmsKeyId() == null ? "aws/s3" : b.kmsKeyId(), b.keyManager()) : null;
        String reason = b.sseAlgorithm() == null ? "bucket has no default encryption configuration"
                : !kms ? "bucket default encryption is " + b.sseAlgorithm() + ", not SSE-KMS"
                : unmet != null ? unmet
                : "bucket default encryption is " + b.sseAlgorithm()
                        + (context.config().requireCustomerManagedKey() ? " with a customer managed key" : "");
        return DEFINITION.finding(context, kms && unmet == null ? ComplianceStatus.PASSED : ComplianceStatus.FAILED,
                b.arn(), b.region(), reason, Map.of(), details);
    }

    private static boolean isKms(String sseAlgorithm) {
        return "aws:kms".equals(sseAlgorithm) || "aws:kms:dsse".equals(sseAlgorithm);
    }
}
