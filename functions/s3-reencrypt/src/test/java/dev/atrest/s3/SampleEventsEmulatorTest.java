package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3BatchEventV2;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Every S3 sample event under events/ through the handler, against the object it names seeded in the emulator.
 * The object each names is read with aws-lambda-java-tests into the runtime's own event types, so the samples are
 * checked against those types and the handler's own parsing is checked against the runtime's decoding.
 */
class SampleEventsEmulatorTest extends S3EmulatorTest {

    /** Where a sample's object is, how to seed it, what must happen, and the S3 requests that may cost. */
    record Case(Function<String, String[]> object, ServerSideEncryption seeded, String outcome,
                List<String> s3Operations) {}

    static final Map<String, Case> CASES = Map.of(
            "s3-put.json", new Case(SampleEventsEmulatorTest::notificationObject, ServerSideEncryption.AES256,
                    "CHANGED", List.of("HeadObject", "UpdateObjectEncryption", "HeadObject")),
            "s3-put-self-caused.json", new Case(SampleEventsEmulatorTest::notificationObject,
                    ServerSideEncryption.AES256, "SKIPPED", List.of()),
            "eventbridge-object-created.json", new Case(SampleEventsEmulatorTest::eventBridgeObject,
                    ServerSideEncryption.AES256, "CHANGED", List.of("HeadObject", "UpdateObjectEncryption",
                    "HeadObject")),
            "s3-batch-v2.json", new Case(SampleEventsEmulatorTest::batchObject, null, "Succeeded",
                    S3ReencryptEmulatorTest.UNVERSIONED_COPY));

    static Stream<String> samples() {
        return CASES.keySet().stream().sorted();
    }

    static String[] notificationObject(String file) {
        S3Event event = EventLoader.loadS3Event(file);
        var s3 = event.getRecords().get(0).getS3();
        return new String[] {s3.getBucket().getName(), s3.getObject().getUrlDecodedKey()};
    }

    @SuppressWarnings("unchecked")
    static String[] eventBridgeObject(String file) {
        ScheduledEvent event = EventLoader.loadScheduledEvent(file);
        Map<String, Object> detail = event.getDetail();
        return new String[] {(String) ((Map<String, Object>) detail.get("bucket")).get("name"),
            (String) ((Map<String, Object>) detail.get("object")).get("key")};
    }

    static String[] batchObject(String file) {
        S3BatchEventV2.Task task = EventLoader.loadEvent(file, S3BatchEventV2.class).getTasks().get(0);
        return new String[] {task.getS3Bucket(), URLDecoder.decode(task.getS3Key(), StandardCharsets.UTF_8)};
    }

    static String text(String file) {
        try (InputStream in = SampleEventsEmulatorTest.class.getClassLoader().getResourceAsStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyS3SampleHasACase() throws IOException {
        try (Stream<java.nio.file.Path> files = java.nio.file.Files.list(
                java.nio.file.Path.of(SampleEventsEmulatorTest.class.getClassLoader().getResource("s3-put.json")
                        .getPath()).getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("s3-") || n.startsWith("eventbridge-object-"))
                    .toList()).containsExactlyInAnyOrderElementsOf(CASES.keySet());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleEventRunsAgainstSeededState(String file) {
        Case c = CASES.get(file);
        String[] object = c.object().apply(file);
        f.s3.createBucket(b -> b.bucket(object[0]));
        f.put(object[0], object[1], "sample content", c.seeded());
        f.emulator.clearRequests();

        JsonNode result = f.invoke(text(file));

        if (file.startsWith("s3-batch")) {
            assertThat(result.path("results").get(0).path("resultCode").asText()).as(result.toString())
                    .isEqualTo(c.outcome());
        } else {
            assertThat(result.path("items").get(0).path("outcome").asText()).as(result.toString())
                    .isEqualTo(c.outcome());
            assertThat(result.path("items").get(0).path("details").path("key").asText()).isEqualTo(object[1]);
        }
        assertThat(f.s3Operations()).isEqualTo(c.s3Operations());
        String encryption = f.s3.headObject(b -> b.bucket(object[0]).key(object[1])).serverSideEncryptionAsString();
        assertThat(encryption).isEqualTo(c.s3Operations().isEmpty() ? "AES256" : "aws:kms");
        assertThat(f.s3.getObjectAsBytes(b -> b.bucket(object[0]).key(object[1])).asUtf8String())
                .isEqualTo("sample content");
    }
}
