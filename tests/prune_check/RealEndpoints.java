import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFindingFilters;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The storage audit's calls against real AWS endpoints, stopped before anything is sent: an interceptor prints the
 * signed request's method, URI and signing algorithm and aborts. This runs what the emulator never does (endpoint rules
 * for each partition, virtual-hosted S3 addressing) without any network traffic.
 */
public class RealEndpoints {
    static final class Stop extends RuntimeException {
        Stop(String m) {
            super(m, null, false, false);
        }
    }

    static final ExecutionInterceptor ABORT = new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(Context.BeforeTransmission c, ExecutionAttributes a) {
            String auth = c.httpRequest().firstMatchingHeader("Authorization").orElse("none");
            throw new Stop(c.httpRequest().method() + " " + c.httpRequest().getUri() + " " + auth.split(" ")[0]);
        }
    };

    public static void main(String[] args) {
        Region region = Region.of(args[0]);
        var http = UrlConnectionHttpClient.create();
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
        Ec2Client ec2 = Ec2Client.builder().region(region).credentialsProvider(creds).httpClient(http)
                .overrideConfiguration(o -> o.addExecutionInterceptor(ABORT)).build();
        run("DescribeVolumes", () -> ec2.describeVolumesPaginator(b -> b.maxResults(100)).volumes().stream().count());
        EfsClient efs = EfsClient.builder().region(region).credentialsProvider(creds).httpClient(http)
                .overrideConfiguration(o -> o.addExecutionInterceptor(ABORT)).build();
        run("DescribeFileSystems",
                () -> efs.describeFileSystemsPaginator(b -> b.maxItems(100)).fileSystems().stream().count());
        S3Client s3 = S3Client.builder().region(region).credentialsProvider(creds).httpClient(http)
                .overrideConfiguration(o -> o.addExecutionInterceptor(ABORT)).build();
        run("GetBucketEncryption", () -> s3.getBucketEncryption(b -> b.bucket("atrest-example-bucket")));
        run("ListBuckets", () -> s3.listBucketsPaginator(b -> b.maxBuckets(100)).buckets().stream().count());
        SecurityHubClient hub = SecurityHubClient.builder().region(region).credentialsProvider(creds).httpClient(http)
                .overrideConfiguration(o -> o.addExecutionInterceptor(ABORT)).build();
        AwsSecurityFindingFilters filters = AwsSecurityFindingFilters.builder().build();
        run("GetFindings",
                () -> hub.getFindingsPaginator(b -> b.filters(filters).maxResults(100)).findings().stream().count());
        run("BatchImportFindings", () -> hub.batchImportFindings(b -> b.findings(List.of())));
        KmsClient kms = KmsClient.builder().region(region).credentialsProvider(creds).httpClient(http)
                .overrideConfiguration(o -> o.addExecutionInterceptor(ABORT)).build();
        run("DescribeKey", () -> kms.describeKey(b -> b.keyId("alias/atrest")));
        SnsClient sns = SnsClient.builder().region(region).credentialsProvider(creds).httpClient(http)
                .overrideConfiguration(o -> o.addExecutionInterceptor(ABORT)).build();
        String topic = "arn:aws:sns:" + region.id() + ":123456789012:t";
        run("Publish", () -> sns.publish(b -> b.topicArn(topic).message("x")));
        StsClient sts = StsClient.builder().region(region).credentialsProvider(creds).httpClient(http)
                .overrideConfiguration(o -> o.addExecutionInterceptor(ABORT)).build();
        run("GetCallerIdentity", () -> sts.getCallerIdentity());
    }

    static void run(String op, Supplier<Object> call) {
        try {
            call.get();
            System.out.println(op + " -> sent (the interceptor should have stopped it)");
        } catch (Stop s) {
            System.out.println(op + " -> " + s.getMessage());
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && !(root instanceof Stop)) {
                root = root.getCause();
            }
            System.out.println(op + " -> " + (root instanceof Stop ? root.getMessage() : e.getClass().getName() + ": "
                    + e.getMessage()));
        }
    }
}
