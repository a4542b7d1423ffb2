import dev.atrest.core.aws.ClientFactory;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.ListResourceTagsResponse;

/**
 * Calls the KMS rotation function's SDK operations the way KmsGateway does; prints what each call returns
 * or throws.
 */
public class KmsCalls {
    public static void main(String[] args) {
        ClientFactory f = new ClientFactory(Region.US_EAST_1);
        KmsClient kms = f.client("kms", KmsClient::builder);
        String arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000";
        run("DescribeKey", () -> kms.describeKey(b -> b.keyId(arn)).keyMetadata());
        run("GetKeyRotationStatus", () -> kms.getKeyRotationStatus(b -> b.keyId(arn)).keyRotationEnabled());
        run("ListResourceTags", () -> {
            int n = 0;
            for (ListResourceTagsResponse page : kms.listResourceTagsPaginator(b -> b.keyId(arn))) {
                n += page.tags().size();
            }
            return n;
        });
        run("EnableKeyRotation", () -> kms.enableKeyRotation(b -> b.keyId(arn).rotationPeriodInDays(365)));
        run("ListKeys", () -> kms.listKeysPaginator(b -> b.limit(100)).keys().stream().count());
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
