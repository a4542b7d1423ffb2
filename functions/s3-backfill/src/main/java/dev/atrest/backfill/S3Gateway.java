package dev.atrest.backfill;

import dev.atrest.core.aws.AwsFailure;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.EventBridgeConfiguration;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The backfill's S3 calls: where a bucket is and whether it opted out, its notification configuration, completion
 * reports (read), retry manifests (written once). Every request names the function's account as the expected bucket
 * owner.
 */
public class S3Gateway implements CompletionReport.Store {
    private final S3Client s3;
    private final String owner;

    public S3Gateway(S3Client s3, String owner) {
        this.s3 = s3;
        this.owner = owner;
    }

    /** The account's buckets in {@code region} (ListBuckets with BucketRegion, every page). */
    public List<String> buckets(String region) {
        return AwsFailure.call("ListBuckets", () -> s3.listBucketsPaginator(b -> b.bucketRegion(region)).buckets()
                .stream().map(Bucket::name).toList());
    }

    /** The bucket's tags (GetBucketTagging; a bucket without tags answers NoSuchTagSet). */
    public Map<String, String> tags(String bucket) {
        try {
            Map<String, String> tags = new LinkedHashMap<>();
            s3.getBucketTagging(b -> b.bucket(bucket).expectedBucketOwner(owner)).tagSet()
                    .forEach(t -> tags.put(t.key(), t.value()));
            return tags;
        } catch (S3Exception e) {
            if (e.awsErrorDetails() != null && "NoSuchTagSet".equals(e.awsErrorDetails().errorCode())) {
                return Map.of();
            }
            throw AwsFailure.map("GetBucketTagging s3://" + bucket, e);
        } catch (SdkException e) {
            throw AwsFailure.map("GetBucketTagging s3://" + bucket, e);
        }
    }

    /**
     * A bucket's whole notification configuration, as S3 answered it: PutBucketNotificationConfiguration replaces
     * the whole configuration, so a write carries back every part of what was read.
     */
    public record Notifications(NotificationConfiguration configuration) {
        public boolean eventBridgeOn() {
            return configuration.eventBridgeConfiguration() != null;
        }

        Notifications withEventBridge() {
            return new Notifications(configuration.toBuilder()
                    .eventBridgeConfiguration(EventBridgeConfiguration.builder().build()).build());
        }

        /** Every topic, queue and function configuration is the same (the EventBridge part aside). */
        public boolean sameDestinations(Notifications other) {
            return configuration.topicConfigurations().equals(other.configuration.topicConfigurations())
                    && configuration.queueConfigurations().equals(other.configuration.queueConfigurations())
                    && configuration.lambdaFunctionConfigurations()
                    .equals(other.configuration.lambdaFunctionConfigurations());
        }

        /** Counts of what the configuration sends where, for the report. */
        public Map<String, Object> describe() {
            return Map.of("topics", configuration.topicConfigurations().size(),
                    "queues", configuration.queueConfigurations().size(),
                    "functions", configuration.lambdaFunctionConfigurations().size(),
                    "eventBridge", eventBridgeOn());
        }
    }

    /** GetBucketNotificationConfiguration. One request. */
    public Notifications notifications(String bucket) {
        return AwsFailure.call("GetBucketNotificationConfiguration s3://" + bucket, () -> {
            var r = s3.getBucketNotificationConfiguration(b -> b.bucket(bucket).expectedBucketOwner(owner));
            return new Notifications(NotificationConfiguration.builder()
                    .topicConfigurations(r.topicConfigurations())
                    .queueConfigurations(r.queueConfigurations())
                    .lambdaFunctionConfigurations(r.lambdaFunctionConfigurations())
                    .eventBridgeConfiguration(r.eventBridgeConfiguration())
                    .build());
        });
    }

    /**
     * Writes {@code read} back with EventBridge added (PutBucketNotificationConfiguration, destinations validated as
     * S3 does by default). One request.
     */
    public void addEventBridge(String bucket, Notifications read) {
        AwsFailure.call("PutBucketNotificationConfiguration s3://" + bucket, () ->
                s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).expectedBucketOwner(owner)
                        .skipDestinationValidation(false)
                        .notificationConfiguration(read.withEventBridge().configuration())));
    }

    /** The bucket's region (GetBucketLocation: no constraint means us-east-1, the legacy "EU" eu-west-1). */
    public String region(String bucket, String expectedOwner) {
        return AwsFailure.call("GetBucketLocation s3://" + bucket, () -> {
            var r = s3.getBucketLocation(b -> b.bucket(bucket).expectedBucketOwner(expectedOwner));
            String constraint = r.locationConstraintAsString();
            if (constraint == null || constraint.isEmpty()) {
                return "us-east-1";
            }
            return BucketLocationConstraint.EU.toString().equals(constraint) ? "eu-west-1" : constraint;
        });
    }

    @Override
    public Optional<InputStream> open(String bucket, String key) {
        try {
            return Optional.of(s3.getObject(b -> b.bucket(bucket).key(key).expectedBucketOwner(owner)));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw AwsFailure.map("GetObject s3://" + bucket + "/" + key, e);
        } catch (SdkException e) {
            throw AwsFailure.map("GetObject s3://" + bucket + "/" + key, e);
        }
    }

    /**
     * Writes {@code content} unless the key already holds an object (If-None-Match: *), and returns the ETag of what
     * the key holds: ours, or the one an earlier delivery of the same event wrote (the same report gives the same
     * content).
     */
    public String writeOnce(String bucket, String key, byte[] content, String expectedOwner) {
        try {
            return s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*").contentType("text/csv")
                    .serverSideEncryption(ServerSideEncryption.AES256).expectedBucketOwner(expectedOwner),
                    RequestBody.fromBytes(content)).eTag();
        } catch (S3Exception e) {
            if (e.statusCode() != 412) {
                throw AwsFailure.map("PutObject s3://" + bucket + "/" + key, e);
            }
        } catch (SdkException e) {
            throw AwsFailure.map("PutObject s3://" + bucket + "/" + key, e);
        }
        return AwsFailure.call("HeadObject s3://" + bucket + "/" + key,
                () -> s3.headObject(b -> b.bucket(bucket).key(key).expectedBucketOwner(expectedOwner)).eTag());
    }
}
