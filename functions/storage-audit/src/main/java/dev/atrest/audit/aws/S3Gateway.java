package dev.atrest.audit.aws;

import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.aws.ClientFactory;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/** S3 calls of the audit: bucket list and bucket default encryption. */
public final class S3Gateway {
    /** ListBuckets pages at up to 10,000 buckets. */
    static final int PAGE = 10_000;

    public record Bucket(String name, String region) {}

    /** A bucket's default encryption rule; both null when the bucket has none. */
    public record DefaultEncryption(String sseAlgorithm, String kmsKeyId) {}

    private final S3Client s3;

    public S3Gateway(ClientFactory clients) {
        // One client for every bucket: cross-region access follows S3's redirects to the bucket's own region.
        this.s3 = clients.client("s3", () -> S3Client.builder().forcePathStyle(ClientFactory.s3PathStyle())
                .crossRegionAccessEnabled(true));
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
        try {
            List<ServerSideEncryptionRule> rules = s3.getBucketEncryption(b -> b.bucket(bucket))
                    .serverSideEncryptionConfiguration().rules();
            ServerSideEncryptionByDefault rule = rules.isEmpty() ? null : rules.get(0).applyServerSideEncryptionByDefault();
            return rule == null ? new DefaultEncryption(null, null)
                    : new DefaultEncryption(rule.sseAlgorithmAsString(), rule.kmsMasterKeyID());
        } catch (S3Exception e) {
            if (e.awsErrorDetails() != null
                    && "ServerSideEncryptionConfigurationNotFoundError".equals(e.awsErrorDetails().errorCode())) {
                return new DefaultEncryption(null, null);
            }
            throw AwsFailure.map("GetBucketEncryption " + bucket, e);
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw AwsFailure.map("GetBucketEncryption " + bucket, e);
        }
    }
}
