import dev.atrest.core.aws.ClientFactory;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFindingFilters;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;

/** Calls the storage audit's SDK operations the way its gateways do; prints what each call returns or throws. */
public class AuditCalls {
    public static void main(String[] args) {
        ClientFactory f = new ClientFactory(Region.US_EAST_1);
        switch (args[0]) {
            case "sts" -> run("GetCallerIdentity",
                    () -> f.client("sts", StsClient::builder).getCallerIdentity().account());
            case "ec2" -> {
                Ec2Client ec2 = f.client("ec2", Ec2Client::builder);
                run("DescribeVolumes",
                        () -> ec2.describeVolumesPaginator(b -> b.maxResults(100)).volumes().stream().count());
                run("GetEbsEncryptionByDefault",
                        () -> ec2.getEbsEncryptionByDefault(b -> {}).ebsEncryptionByDefault());
            }
            case "elasticfilesystem" -> {
                EfsClient efs = f.client("elasticfilesystem", EfsClient::builder);
                run("DescribeFileSystems",
                        () -> efs.describeFileSystemsPaginator(b -> b.maxItems(100)).fileSystems().stream().count());
            }
            case "s3" -> {
                S3Client s3 = f.client("s3", () -> S3Client.builder().forcePathStyle(true));
                run("GetBucketEncryption",
                        () -> s3.getBucketEncryption(b -> b.bucket("atrest-x")).serverSideEncryptionConfiguration());
                run("ListBuckets", () -> s3.listBucketsPaginator(b -> b.maxBuckets(100)).buckets().stream().count());
            }
            case "securityhub" -> {
                SecurityHubClient hub = f.client("securityhub", SecurityHubClient::builder);
                AwsSecurityFindingFilters filters = AwsSecurityFindingFilters.builder().build();
                run("GetFindings", () -> hub.getFindingsPaginator(b -> b.filters(filters).maxResults(100))
                        .findings().stream().count());
                run("BatchImportFindings", () -> hub.batchImportFindings(b -> b.findings(List.of())).successCount());
            }
            case "kms" -> {
                KmsClient kms = f.client("kms", KmsClient::builder);
                run("DescribeKey", () -> kms.describeKey(b -> b.keyId("alias/none")).keyMetadata().keyManager());
            }
            case "sns" -> {
                SnsClient sns = f.client("sns", SnsClient::builder);
                run("Publish", () -> sns.publish(b -> b.topicArn("arn:aws:sns:us-east-1:123456789012:none")
                        .message("x")).messageId());
            }
            default -> throw new IllegalArgumentException(args[0]);
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
