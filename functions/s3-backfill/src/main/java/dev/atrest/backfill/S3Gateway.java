package dev.atrest.backfill;

import dev.atrest.core.aws.AwsFailure;
import java.io.InputStream;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The backfill's S3 calls: where a bucket is, completion reports (read), retry manifests (written once). */
public class S3Gateway implements CompletionReport.Store {
    private final S3Client s3;

    public S3Gateway(S3Client s3) {
        this.s3 = s3;
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
            return Optional.of(s3.getObject(b -> b.bucket(bucket).key(key)));
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
