package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.aws.Priming;
import dev.atrest.core.json.Json;
import dev.atrest.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The SnapStart hooks run the hot path without sending anything, and the function works after a restore. */
class SnapStartPrimingEmulatorTest extends S3EmulatorTest {

    @Test
    void primingSendsNothingAndTheRestoredHandlerStillReencrypts() throws Exception {
        f.put("primed.txt", "content", ServerSideEncryption.AES256);
        f.emulator.clearRequests();
        S3ReencryptHandler handler = new S3ReencryptHandler(f.config(), f.clients);
        long stoppedBefore = Priming.stoppedRequests();

        handler.beforeCheckpoint(null);

        assertThat(Priming.stoppedRequests() - stoppedBefore).as("requests built and stopped by priming")
                .isEqualTo(1);
        assertThat(f.emulator.requests()).as("requests that reached the emulator while priming").isEmpty();

        handler.afterRestore(null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(S3Fixture.notification("primed.txt")
                .getBytes(StandardCharsets.UTF_8)), out, new TestContext(S3Fixture.FUNCTION));
        JsonNode item = Json.MAPPER.readTree(out.toByteArray()).path("items").get(0);
        assertThat(item.path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(f.head("primed.txt").ssekmsKeyId()).isEqualTo(f.keyArn);
        assertThat(f.s3Operations()).as("the restored handler's requests really go out").contains("HeadObject");
    }
}
