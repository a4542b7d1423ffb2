package dev.atrest.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.aws.ClientFactory;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

@ExtendWith(EmulatorExtension.class)
class ClientFactoryIT {

    @Test
    void clientsReachTheStandardEndpointOverPathStyleHttp(Emulator emulator) {
        try (ClientFactory factory = new ClientFactory(Region.US_EAST_1)) {
            S3Client s3 = factory.client("s3", () -> S3Client.builder().forcePathStyle(ClientFactory.s3PathStyle()));
            assertThat(ClientFactory.endpointOverride("S3")).contains(emulator.endpoint());
            s3.createBucket(b -> b.bucket("atrest-factory"));
            s3.putObject(b -> b.bucket("atrest-factory").key("a b/c.txt"), RequestBody.fromString("hello"));
            assertThat(s3.headObject(b -> b.bucket("atrest-factory").key("a b/c.txt")).contentLength()).isEqualTo(5L);

            List<Map<String, Object>> log = emulator.requests();
            assertThat(log).extracting(r -> r.get("operation"))
                    .containsExactly("CreateBucket", "PutObject", "HeadObject");
            // Path-style: the bucket is the first path segment, not a host name.
            assertThat(log.get(2).get("path")).isEqualTo("/atrest-factory/a b/c.txt");
        }
    }

    @Test
    void clientsAreBuiltOncePerServiceAndRegion() {
        try (ClientFactory factory = new ClientFactory(Region.US_EAST_1)) {
            SnsClient a = factory.client("sns", SnsClient::builder);
            SnsClient b = factory.client("sns", SnsClient::builder);
            SnsClient other = factory.client("sns", Region.EU_WEST_1, SnsClient::builder);
            assertThat(a).isSameAs(b);
            assertThat(other).isNotSameAs(a);
        }
    }

    @Test
    void resetClearsStateAndTheRequestLog(Emulator emulator) {
        try (ClientFactory factory = new ClientFactory(Region.US_EAST_1)) {
            S3Client s3 = factory.client("s3", () -> S3Client.builder().forcePathStyle(true));
            s3.createBucket(b -> b.bucket("atrest-reset"));
            emulator.reset();
            assertThat(emulator.requests()).isEmpty();
            assertThat(s3.listBuckets().buckets()).isEmpty();
        }
    }
}
