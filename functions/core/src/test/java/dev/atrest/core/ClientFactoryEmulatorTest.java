package dev.atrest.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.aws.ClientFactory;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

@ExtendWith(EmulatorExtension.class)
class ClientFactoryEmulatorTest {

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

    // The HTTP implementation is resolved once per JVM, so each case runs HttpClientProbe in a JVM of its own. The
    // probe's own SdkHttpService is registered for the SDK's service loader there, so a factory that left the
    // choice to the SDK when it should not (or the reverse) shows in which service was instantiated and used.

    @Test
    void withoutThePropertyEveryClientUsesTheFactorysUrlConnectionClient(Emulator emulator, @TempDir Path dir)
            throws Exception {
        String probe = runProbe(dir);
        assertThat(probe).contains("http=UrlConnection", "serviceLoaded=false", "topic=arn:aws:sns:us-east-1:");
        assertThat(emulator.requests()).extracting(r -> r.get("operation")).containsExactly("CreateTopic");
    }

    @Test
    void thePropertyLetsTheSdkLoadTheNamedImplementation(Emulator emulator, @TempDir Path dir) throws Exception {
        String probe = runProbe(dir, "-D" + SdkSystemSetting.SYNC_HTTP_SERVICE_IMPL.property() + "="
                + HttpClientProbe.RecordingHttpService.class.getName());
        assertThat(probe).contains("http=AtrestProbe", "serviceLoaded=true", "topic=arn:aws:sns:us-east-1:");
        assertThat(emulator.requests()).extracting(r -> r.get("operation")).containsExactly("CreateTopic");
    }

    @Test
    void thePropertyNamingUrlConnectionStillReachesTheEmulator(Emulator emulator, @TempDir Path dir) throws Exception {
        // The form bench/http_client.py uses for the CRT (whose jars are not on this class path).
        String probe = runProbe(dir, "-D" + SdkSystemSetting.SYNC_HTTP_SERVICE_IMPL.property()
                + "=software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService");
        assertThat(probe).contains("http=UrlConnection", "serviceLoaded=false", "topic=arn:aws:sns:us-east-1:");
        assertThat(emulator.requests()).extracting(r -> r.get("operation")).containsExactly("CreateTopic");
    }

    private static String runProbe(Path dir, String... jvmArgs) throws IOException, InterruptedException {
        Path services = dir.resolve("META-INF/services/" + SdkHttpService.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, HttpClientProbe.RecordingHttpService.class.getName() + "\n");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        for (String p : List.of("aws.endpointUrl", "aws.region", "aws.accessKeyId", "aws.secretAccessKey")) {
            cmd.add("-D" + p + "=" + System.getProperty(p));
        }
        cmd.addAll(List.of("-cp", dir + File.pathSeparator + System.getProperty("java.class.path"),
                HttpClientProbe.class.getName()));
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out.lines().filter(l -> l.startsWith("probe ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no probe line in:\n" + out));
    }
}
