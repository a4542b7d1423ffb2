package dev.atrest.audit.aws;

import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.aws.ClientFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BlockedEncryptionTypes;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionConfiguration;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/** S3 calls of the audit: bucket list, bucket default encryption, and blocking SSE-C; the only S3 SDK user. */
public final class S3Gateway {
    /** ListBuckets pages at up to 10,000 buckets. */
    static final int PAGE = 10_000;
    static final String SSE_C = "SSE-C";

    public record Bucket(String name, String region) {}

    /**
     * A bucket's default encryption rule; algorithm and key null when the bucket has none.
     *
     * @param configured false when the bucket has no encryption configuration at all
     * @param blockedEncryptionTypes the rule's BlockedEncryptionTypes (SSE-C, NONE), empty when it blocks none
     */
    public record DefaultEncryption(String sseAlgorithm, String kmsKeyId, boolean configured,
            List<String> blockedEncryptionTypes) {
        public DefaultEncryption {
            blockedEncryptionTypes = blockedEncryptionTypes == null ? List.of() : List.copyOf(blockedEncryptionTypes);
        }

        public DefaultEncryption(String sseAlgorithm, String kmsKeyId) {
            this(sseAlgorithm, kmsKeyId, sseAlgorithm != null, List.of());
        }

        public boolean blocksSseC() {
            return blockedEncryptionTypes.contains(SSE_C);
        }
    }

    private final S3Client s3;

    public S3Gateway(ClientFactory clients) {
        // One client for every bucket: cross-region access follows S3's redirects to the bucket's own region.
        this.s3 = clients.client("s3", () -> S3Client.builder().forcePathStyle(ClientFactory.s3PathStyle())
                .crossRegionAccessEnabled(true));
    }

    /**
     * Writes one report object, SSE-KMS under {@code kmsKeyArn}, to a bucket that must belong to
     * {@code expectedOwner} (S3 refuses the write otherwise: a bucket of the same name in another account never
     * receives the findings).
     */
    public void putReport(String bucket, String key, byte[] body, String contentType, String kmsKeyArn,
            String expectedOwner) {
        AwsFailure.run("PutObject s3://" + bucket + "/" + key, () -> s3.putObject(b -> b.bucket(bucket).key(key)
                .contentType(contentType).serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyArn)
                .expectedBucketOwner(expectedOwner),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(body)));
    }

    public List<Bucket> buckets() {
        return AwsFailure.call("ListBuckets", () -> s3.listBucketsPaginator(b -> b.maxBuckets(PAGE)).buckets().stream()
                .map(b -> new Bucket(b.name(), b.bucketRegion() != null ? b.bucketRegion() : location(b.name())))
                .toList());
    }

    /** One bucket by name, with its region; empty when no bucket has that name (NoSuchBucket). */
    public Optional<Bucket> bucket(String name) {
        return MissingResource.emptyIfNotFound(() -> Optional.of(new Bucket(name,
                AwsFailure.call("GetBucketLocation " + name, () -> location(name)))));
    }

    private String location(String bucket) {
        String constraint = s3.getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString();
        if (constraint == null || constraint.isEmpty()) {
            return "us-east-1";
        }
        return "EU".equals(constraint) ? "eu-west-1" : constraint;
    }

    public DefaultEncryption defaultEncryption(String bucket) {
        return configuration(bucket).map(S3Gateway::firstRule).orElse(new DefaultEncryption(null, null, false,
                List.of()));
    }

    /** The bucket's encryption configuration; empty when it has none (ServerSideEncryptionConfigurationNotFound). */
    private Optional<ServerSideEncryptionConfiguration> configuration(String bucket) {
        try {
            return Optional.of(s3.getBucketEncryption(b -> b.bucket(bucket)).serverSideEncryptionConfiguration());
        } catch (S3Exception e) {
            if (e.awsErrorDetails() != null
                    && "ServerSideEncryptionConfigurationNotFoundError".equals(e.awsErrorDetails().errorCode())) {
                return Optional.empty();
            }
            throw AwsFailure.map("GetBucketEncryption " + bucket, e);
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw AwsFailure.map("GetBucketEncryption " + bucket, e);
        }
    }

    private static DefaultEncryption firstRule(ServerSideEncryptionConfiguration config) {
        List<ServerSideEncryptionRule> rules = config.rules();
        ServerSideEncryptionRule rule = rules.isEmpty() ? null : rules.get(0);
        ServerSideEncryptionByDefault byDefault = rule == null ? null : rule.applyServerSideEncryptionByDefault();
        List<String> blocked = rule == null || rule.blockedEncryptionTypes() == null ? List.of()
                : rule.blockedEncryptionTypes().encryptionTypeAsStrings();
        // A rule without a default leaves SSE-S3, every bucket's default.
        return byDefault == null ? new DefaultEncryption(rule == null ? null : "AES256", null, true, blocked)
                : new DefaultEncryption(byDefault.sseAlgorithmAsString(), byDefault.kmsMasterKeyID(), true, blocked);
    }

    /**
     * Adds SSE-C to the blocked encryption types of the bucket's default encryption, read just before the write,
     * every rule otherwise exactly as it was (PutBucketEncryption replaces the whole configuration). A bucket without
     * a configuration gets SSE-S3, the default S3 applies to every bucket, with the block. S3 has no conditional
     * PutBucketEncryption: a change made between the read and the write is overwritten, and the caller's read-back
     * shows what holds.
     *
     * @return false when the bucket already blocked SSE-C (nothing written)
     */
    public boolean blockSseC(String bucket) {
        Optional<ServerSideEncryptionConfiguration> current = configuration(bucket);
        List<ServerSideEncryptionRule> rules = current.map(ServerSideEncryptionConfiguration::rules)
                .filter(r -> !r.isEmpty())
                .orElse(List.of(ServerSideEncryptionRule.builder().applyServerSideEncryptionByDefault(d -> d
                        .sseAlgorithm(ServerSideEncryption.AES256)).build()));
        if (current.isPresent() && firstRule(current.get()).blocksSseC()) {
            return false;
        }
        List<ServerSideEncryptionRule> blocked = new ArrayList<>();
        for (ServerSideEncryptionRule rule : rules) {
            Set<String> types = new LinkedHashSet<>(rule.blockedEncryptionTypes() == null ? List.of()
                    : rule.blockedEncryptionTypes().encryptionTypeAsStrings());
            // NONE lists nothing blocked: it cannot stand beside a type that is.
            types.remove("NONE");
            types.add(SSE_C);
            blocked.add(rule.toBuilder().blockedEncryptionTypes(BlockedEncryptionTypes.builder()
                    .encryptionTypeWithStrings(types).build()).build());
        }
        AwsFailure.run("PutBucketEncryption " + bucket, () -> s3.putBucketEncryption(b -> b.bucket(bucket)
                .serverSideEncryptionConfiguration(c -> c.rules(blocked))));
        return true;
    }
}
