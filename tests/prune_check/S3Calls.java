import dev.atrest.core.aws.ClientFactory;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * Calls the S3 re-encrypt function's SDK operations the way S3Gateway and KmsKeys do; prints what each call returns
 * or throws.
 */
public class S3Calls {
    public static void main(String[] args) {
        ClientFactory f = new ClientFactory(Region.US_EAST_1);
        if (args[0].equals("kms")) {
            KmsClient kms = f.client("kms", KmsClient::builder);
            run("DescribeKey", () -> kms.describeKey(b -> b.keyId("alias/none")).keyMetadata().arn());
        } else {
            S3Client s3 = f.client("s3", () -> S3Client.builder().forcePathStyle(true));
            String key = "arn:aws:kms:us-east-1:123456789012:key/x";
            run("HeadObject", () -> s3.headObject(b -> b.bucket("atrest-x").key("k").versionId(null)
                    .checksumMode(ChecksumMode.ENABLED)).eTag());
            run("UpdateObjectEncryption", () -> s3.updateObjectEncryption(b -> b.bucket("atrest-x").key("k")
                    .versionId(null).objectEncryption(o -> o.ssekms(k -> k.kmsKeyArn(key).bucketKeyEnabled(true)))));
            run("CopyObject", () -> s3.copyObject(b -> b.sourceBucket("atrest-x").sourceKey("k")
                    .destinationBucket("atrest-x").destinationKey("k").copySourceIfMatch("\"e\"")
                    .metadataDirective(MetadataDirective.COPY)).copyObjectResult());
            run("GetObjectTagging",
                    () -> s3.getObjectTagging(b -> b.bucket("atrest-x").key("k").versionId(null)).tagSet());
            run("AbortMultipartUpload",
                    () -> s3.abortMultipartUpload(b -> b.bucket("atrest-x").key("k").uploadId("u")));
        }
        f.close();
    }

    static void run(String op, Supplier<Object> call) {
        try {
            System.out.println(op + " -> OK " + call.get());
        } catch (SdkException e) {
            String detail = e instanceof AwsServiceException a
                    ? " code=" + (a.awsErrorDetails() == null ? null : a.awsErrorDetails().errorCode())
                            + " status=" + a.statusCode() + " throttling=" + a.isThrottlingException()
                    : "";
            System.out.println(op + " -> " + e.getClass().getName() + detail + " attempts=" + e.numAttempts());
        }
    }
}
