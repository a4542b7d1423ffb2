package dev.atrest.s3;

import static dev.atrest.s3.S3Fixture.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.Json;
import dev.atrest.core.lambda.RetryableFailureException;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.SdkCallCounter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Chaos: 60 objects, 20% of S3 requests failing (SlowDown 503, InternalError 500, ServiceUnavailable 503)
 * with a fixed seed, processed through S3 notifications (Lambda's asynchronous retry model: up to 3 attempts, then
 * the on-failure destination) and an S3 Batch Operations job (TemporaryFailure tasks re-run, bounded). Every object
 * ends SSE-KMS under the target key with a Bucket Key, or is in the failure channel; nothing is half-written; no
 * multipart upload is left behind. Run with the SDK's default retries and with SDK retries off.
 */
@ExtendWith(EmulatorExtension.class)
class S3ChaosEmulatorTest {
    static final long SEED = 20261127L;
    static final int LAMBDA_ATTEMPTS = 3; // 1 + EventInvokeConfig MaximumRetryAttempts 2
    static final int BATCH_ROUNDS = 3;
    static final long MIB = 1024 * 1024;

    record Seeded(String key, String kind, byte[] bytes, String contentType, String cacheControl,
                  String contentDisposition, Map<String, String> metadata, List<Tag> tags) {}

    private S3Fixture f;
    private final Map<String, Seeded> objects = new LinkedHashMap<>();

    @BeforeEach
    void setUp(Emulator emulator) {
        f = null;
        objects.clear();
        this.emulator = emulator;
    }

    private Emulator emulator;

    @AfterEach
    void tearDown() {
        System.clearProperty("aws.maxAttempts");
        if (f != null) {
            f.close();
        }
    }

    private void seed() {
        Random random = new Random(SEED);
        String[] kinds = new String[60];
        for (int i = 0; i < 60; i++) {
            kinds[i] = i < 20 ? "sse-s3" : i < 36 ? "unencrypted" : i < 50 ? "other-key" : i < 54
                    ? "multipart" : "compliant";
        }
        for (int i = 0; i < 60; i++) {
            String kind = kinds[i];
            String key = "chaos/" + kind + "/" + (i % 3 == 0 ? "dir with space/" : "") + "obj-" + i
                    + (i % 7 == 0 ? " ü+%.bin" : ".bin");
            byte[] bytes = new byte[kind.equals("multipart") ? (int) (5 * MIB + 1000 + i) : 100 + random.nextInt(4000)];
            random.nextBytes(bytes);
            String contentType = i % 2 == 0 ? "application/octet-stream" : "text/plain; charset=utf-8";
            String cacheControl = i % 3 == 0 ? "max-age=" + i : null;
            String disposition = i % 4 == 0 ? "attachment; filename=\"o" + i + ".bin\"" : null;
            Map<String, String> metadata = Map.of("index", Integer.toString(i), "owner", "team-" + (i % 5));
            List<Tag> tags = i % 5 == 4 ? List.of() : List.of(Tag.builder().key("n").value(Integer.toString(i)).build(),
                    Tag.builder().key("class").value(kind).build());
            PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(BUCKET).key(key).contentType(contentType)
                    .cacheControl(cacheControl).contentDisposition(disposition).metadata(metadata)
                    .tagging(tags.isEmpty() ? null : tags.stream().map(t -> t.key() + "=" + t.value())
                            .collect(Collectors.joining("&")));
            if (i % 6 == 1) {
                put.checksumAlgorithm(ChecksumAlgorithm.CRC32);
            }
            switch (kind) {
                case "sse-s3" -> put.serverSideEncryption(ServerSideEncryption.AES256);
                case "other-key" -> put.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(f.otherKeyArn);
                case "compliant" -> put.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(f.keyArn)
                        .bucketKeyEnabled(true);
                default -> { }
            }
            f.s3.putObject(put.build(), RequestBody.fromBytes(bytes));
            objects.put(key, new Seeded(key, kind, bytes, contentType, cacheControl, disposition, metadata, tags));
        }
    }

    private void faults(boolean on) {
        String rules = on ? """
                {"seed": %d, "rules": [
                  {"service": "s3", "operation": "*", "rate": 0.10, "status": 503, "code": "SlowDown",
                   "message": "Please reduce your request rate."},
                  {"service": "s3", "operation": "*", "rate": 0.0556, "status": 500, "code": "InternalError",
                   "message": "We encountered an internal error. Please try again."},
                  {"service": "s3", "operation": "*", "rate": 0.0589, "status": 503, "code": "ServiceUnavailable",
                   "message": "Service is unable to handle request."}]}""".formatted(SEED) : "{\"rules\":[]}";
        f.emulator.post("/_atrest/faults", rules);
    }

    private JsonNode faultStats() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(f.emulator.endpoint() + "/_atrest/faults")).GET().build(), HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body());
    }

    @ParameterizedTest(name = "SDK max attempts {0} (0 = SDK default)")
    @ValueSource(ints = {0, 1})
    void everyObjectEndsEncryptedOrInTheFailureChannelAndNothingIsHalfWritten(int maxAttempts) throws Exception {
        if (maxAttempts > 0) {
            System.setProperty("aws.maxAttempts", Integer.toString(maxAttempts));
        }
        f = new S3Fixture(emulator);
        seed();
        ReencryptConfig config = f.config().withMultipart(5 * MIB, 5 * MIB);
        List<String> keys = new ArrayList<>(objects.keySet());
        List<String> viaNotification = new ArrayList<>();
        List<String> viaBatch = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            (i % 2 == 0 ? viaNotification : viaBatch).add(keys.get(i));
        }
        f.emulator.clearRequests();
        S3CallLog.reset();
        faults(true);
        long started = System.nanoTime();

        Map<String, Long> outcomes = new TreeMap<>();
        int invocations = 0;
        int reinvocations = 0;
        List<String> failureChannel = new ArrayList<>(); // notification events after their last attempt
        List<List<String>> failedEvents = new ArrayList<>();
        // S3 notifications, 10 records per event, Lambda's asynchronous retry model.
        for (int from = 0; from < viaNotification.size(); from += 10) {
            List<String> eventKeys = viaNotification.subList(from, Math.min(from + 10, viaNotification.size()));
            String event = S3Fixture.notification(eventKeys.toArray(String[]::new));
            boolean done = false;
            for (int attempt = 1; attempt <= LAMBDA_ATTEMPTS && !done; attempt++) {
                invocations++;
                if (attempt > 1) {
                    reinvocations++;
                }
                try {
                    JsonNode summary = f.invoke(config, event);
                    count(outcomes, summary.path("items"), "outcome");
                    for (JsonNode item : summary.path("items")) {
                        assertThat(item.path("outcome").asText()).as(item.toString())
                                .isIn("CHANGED", "COMPLIANT");
                    }
                    done = true;
                } catch (RetryableFailureException e) {
                    outcomes.merge("(invocation failed: RetryableFailureException)", 1L, Long::sum);
                }
            }
            if (!done) {
                failureChannel.add(event);
                failedEvents.add(List.copyOf(eventKeys));
            }
        }
        // S3 Batch Operations: one task per invocation (as S3 invokes), TemporaryFailure tasks re-run.
        List<String> pending = new ArrayList<>(viaBatch);
        List<String> batchFailed = new ArrayList<>();
        for (int round = 1; round <= BATCH_ROUNDS && !pending.isEmpty(); round++) {
            List<String> again = new ArrayList<>();
            for (String key : pending) {
                invocations++;
                if (round > 1) {
                    reinvocations++;
                }
                JsonNode response = f.invoke(config, batchEvent(key, round));
                JsonNode result = response.path("results").get(0);
                String code = result.path("resultCode").asText();
                outcomes.merge("batch " + code + " " + result.path("resultString").asText().split(" ")[0], 1L,
                        Long::sum);
                assertThat(code).as(result.toString()).isIn("Succeeded", "TemporaryFailure");
                if ("Succeeded".equals(code)) {
                    assertThat(result.path("resultString").asText()).matches("^(CHANGED|COMPLIANT) .*");
                } else {
                    again.add(key);
                }
            }
            pending = again;
        }
        batchFailed.addAll(pending);
        double seconds = (System.nanoTime() - started) / 1e9;

        JsonNode stats = faultStats();
        List<Map<String, Object>> log = f.emulator.requests();
        faults(false);
        List<Map<String, Object>> s3Log = log.stream().filter(r -> "s3".equals(r.get("service"))).toList();
        Map<String, Long> byStatus = s3Log.stream().collect(Collectors.groupingBy(
                r -> String.valueOf(r.get("status")), TreeMap::new, Collectors.counting()));
        Map<String, Long> byOperation = s3Log.stream().collect(Collectors.groupingBy(
                r -> String.valueOf(r.get("operation")), TreeMap::new, Collectors.counting()));
        long calls = SdkCallCounter.total(S3CallLog.COUNTS.calls());
        long attempts = SdkCallCounter.total(S3CallLog.COUNTS.attempts());
        long outlived = SdkCallCounter.total(S3CallLog.COUNTS.failed());
        long injected = stats.path("injected").asLong();

        System.out.printf("""
                == S3 chaos (SDK max attempts %s, seed %d) ==
                S3 HTTP requests (request log): %d by status %s
                  by operation %s
                faults injected: %d of %d matched (%.1f%% of requests)
                SDK logical calls by the function: %d %s
                SDK HTTP attempts: %d, SDK retries: %d, calls that outlived the SDK retries: %d %s
                Lambda invocations: %d (re-invocations/re-runs %d)
                failure channel: %d notification event(s) %s, %d Batch task(s) still TemporaryFailure %s
                outcomes: %s
                chaos phase: %.1f s
                """, maxAttempts == 0 ? "default" : maxAttempts, SEED, s3Log.size(), byStatus, byOperation,
                injected, stats.path("matched").asLong(), 100.0 * injected / s3Log.size(), calls,
                S3CallLog.COUNTS.calls(), attempts, attempts - calls, outlived, S3CallLog.COUNTS.failed(), invocations,
                reinvocations, failureChannel.size(), failedEvents, batchFailed.size(), batchFailed, outcomes, seconds);

        // The figures agree with each other.
        assertThat(attempts).as("SDK attempts = S3 requests in the log").isEqualTo(s3Log.size());
        assertThat(byStatus.entrySet().stream().filter(e -> !e.getKey().startsWith("2"))
                .mapToLong(Map.Entry::getValue).sum()).as("every error is an injected fault").isEqualTo(injected);
        assertThat(attempts - calls).as("SDK retries").isEqualTo(injected - outlived);
        assertThat((double) injected / s3Log.size()).isBetween(0.12, 0.28);
        assertThat(byOperation).doesNotContainKey("GetObject");
        if (maxAttempts == 1) {
            assertThat(reinvocations).as("with SDK retries off the Lambda retry path runs").isPositive();
        }

        // Nothing half-written, whatever the outcome.
        assertThat(f.s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).as("multipart uploads left").isEmpty();
        List<String> unfinished = new ArrayList<>(batchFailed);
        failedEvents.forEach(unfinished::addAll);
        assertEndState(unfinished);

        // Redrive the failure channel once, AWS healthy: everything converges.
        for (String event : failureChannel) {
            JsonNode summary = f.invoke(config, event);
            for (JsonNode item : summary.path("items")) {
                assertThat(item.path("outcome").asText()).isIn("CHANGED", "COMPLIANT");
            }
        }
        for (String key : batchFailed) {
            assertThat(f.invoke(config, batchEvent(key, 9)).path("results").get(0).path("resultCode").asText())
                    .isEqualTo("Succeeded");
        }
        assertEndState(List.of());
        assertThat(f.s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
    }

    /** Content, metadata, tags and system metadata as seeded; encrypted as wanted unless {@code unfinished}. */
    private void assertEndState(List<String> unfinished) {
        for (Seeded o : objects.values()) {
            HeadObjectResponse head = f.s3.headObject(b -> b.bucket(BUCKET).key(o.key()));
            if (!unfinished.contains(o.key())) {
                assertThat(head.serverSideEncryption()).as(o.key()).isEqualTo(ServerSideEncryption.AWS_KMS);
                assertThat(head.ssekmsKeyId()).as(o.key()).isEqualTo(f.keyArn);
                assertThat(head.bucketKeyEnabled()).as(o.key()).isTrue();
            }
            assertThat(head.contentType()).as(o.key()).isEqualTo(o.contentType());
            assertThat(head.cacheControl()).as(o.key()).isEqualTo(o.cacheControl());
            assertThat(head.contentDisposition()).as(o.key()).isEqualTo(o.contentDisposition());
            assertThat(head.metadata()).as(o.key()).isEqualTo(o.metadata());
            assertThat(f.s3.getObjectTagging(b -> b.bucket(BUCKET).key(o.key())).tagSet()).as(o.key())
                    .containsExactlyInAnyOrderElementsOf(o.tags());
            ResponseBytes<GetObjectResponse> bytes = f.s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(o.key()));
            assertThat(Arrays.equals(bytes.asByteArray(), o.bytes())).as("content of " + o.key()).isTrue();
        }
    }

    private static String batchEvent(String key, int round) {
        return Json.write(Map.of("invocationSchemaVersion", "2.0", "invocationId", "inv-" + round + "-" + key.hashCode(),
                "job", Map.of("id", "job-chaos", "userArguments", Map.of()),
                "tasks", List.of(Map.of("taskId", "task-" + key.hashCode(), "s3Bucket", BUCKET,
                        "s3Key", java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8)))));
    }

    private static void count(Map<String, Long> outcomes, JsonNode items, String field) {
        for (JsonNode item : items) {
            outcomes.merge(item.path(field).asText(), 1L, Long::sum);
        }
    }

    @SuppressWarnings("unused")
    private static <T> Map<T, Long> histogram(List<T> values, Function<T, T> f) {
        return values.stream().collect(Collectors.groupingBy(f, TreeMap::new, Collectors.counting()));
    }
}
