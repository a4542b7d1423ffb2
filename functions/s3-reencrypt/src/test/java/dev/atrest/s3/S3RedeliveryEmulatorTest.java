package dev.atrest.s3;

import static dev.atrest.s3.S3Fixture.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * At-least-once delivery: the same events delivered twice, and late and out of order (newer first, then
 * older, each twice), end in the same state as one in-order delivery. Each scenario writes two versions of an object
 * (as a person would) on three keys: reference, duplicated, late-and-reversed.
 */
class S3RedeliveryEmulatorTest extends S3EmulatorTest {
    static final Set<String> WRITES = S3HostileEventsEmulatorTest.WRITES;

    enum Scenario {
        SSE_S3_THEN_UNENCRYPTED(ServerSideEncryption.AES256, null, ReencryptMethod.AUTO, false, "notification"),
        UNENCRYPTED_THEN_SSE_S3(null, ServerSideEncryption.AES256, ReencryptMethod.AUTO, false, "notification"),
        COPY_MODE(ServerSideEncryption.AES256, ServerSideEncryption.AES256, ReencryptMethod.COPY, false,
                "notification"),
        VERSIONED_BUCKET(ServerSideEncryption.AES256, null, ReencryptMethod.AUTO, true, "notification"),
        VERSIONED_COPY_MODE(null, ServerSideEncryption.AES256, ReencryptMethod.COPY, true, "notification"),
        EVENTBRIDGE(ServerSideEncryption.AES256, null, ReencryptMethod.AUTO, false, "eventbridge"),
        BATCH_PINNED_VERSIONS(ServerSideEncryption.AES256, null, ReencryptMethod.AUTO, true, "batch");

        final ServerSideEncryption first;
        final ServerSideEncryption second;
        final ReencryptMethod method;
        final boolean versioned;
        final String trigger;

        Scenario(ServerSideEncryption first, ServerSideEncryption second, ReencryptMethod method, boolean versioned,
                 String trigger) {
            this.first = first;
            this.second = second;
            this.method = method;
            this.versioned = versioned;
            this.trigger = trigger;
        }
    }

    record EndState(String content, String sse, String keyArn, Boolean bucketKey, String contentType,
                    Map<String, String> metadata) {}

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void duplicateAndOutOfOrderDeliveryEndInTheSameStateAsOneInOrderDelivery(Scenario s) {
        if (s.versioned) {
            f.versioned(BUCKET);
        }
        ReencryptConfig config = f.config().withMethod(s.method);
        Map<String, Integer> writes = new LinkedHashMap<>();
        Map<String, EndState> states = new LinkedHashMap<>();

        // reference: each event once, right after its write
        String ref = "redelivery/" + s + "/reference";
        String e1 = event(s, ref, put(s, ref, 1));
        writes.merge("reference", deliver(config, e1), Integer::sum);
        String e2 = event(s, ref, put(s, ref, 2));
        writes.merge("reference", deliver(config, e2), Integer::sum);
        states.put("reference", state(ref));

        // duplicated: each event twice, right after its write
        String dup = "redelivery/" + s + "/duplicated";
        String d1 = event(s, dup, put(s, dup, 1));
        writes.merge("duplicated", deliver(config, d1) + deliver(config, d1), Integer::sum);
        String d2 = event(s, dup, put(s, dup, 2));
        writes.merge("duplicated", deliver(config, d2) + deliver(config, d2), Integer::sum);
        states.put("duplicated", state(dup));

        // late and reversed: both writes first, then the newer event, the older one, and both again
        String late = "redelivery/" + s + "/late";
        String l1 = event(s, late, put(s, late, 1));
        String l2 = event(s, late, put(s, late, 2));
        writes.merge("late", deliver(config, l2) + deliver(config, l1) + deliver(config, l2) + deliver(config, l1),
                Integer::sum);
        states.put("late", state(late));

        System.out.printf("== redelivery %s: writes (reference/duplicated/late) %s; end state %s ==%n", s,
                writes.values(), states.get("reference"));
        EndState expected = new EndState("v2 of " + ref, "aws:kms", f.keyArn, true, "text/plain",
                Map.of("generation", "2"));
        assertThat(states.get("reference")).isEqualTo(expected);
        assertThat(states.get("duplicated")).isEqualTo(new EndState("v2 of " + dup, "aws:kms", f.keyArn, true,
                "text/plain", Map.of("generation", "2")));
        assertThat(states.get("late")).isEqualTo(new EndState("v2 of " + late, "aws:kms", f.keyArn, true,
                "text/plain", Map.of("generation", "2")));
        assertThat(writes.get("duplicated")).as("duplicates cost no extra write").isEqualTo(writes.get("reference"));
        assertThat(writes.get("late")).as("late delivery writes at most as often").isLessThanOrEqualTo(
                writes.get("reference"));
    }

    private String put(Scenario s, String key, int generation) {
        PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(BUCKET).key(key).contentType("text/plain")
                .metadata(Map.of("generation", Integer.toString(generation)))
                .serverSideEncryption(generation == 1 ? s.first : s.second);
        return f.s3.putObject(b.build(), RequestBody.fromString("v" + generation + " of " + key)).versionId();
    }

    private String event(Scenario s, String key, String versionId) {
        return switch (s.trigger) {
            case "eventbridge" -> Json.write(Map.of("version", "0", "id", "eb-" + versionId + key.hashCode(),
                    "detail-type", "Object Created", "source", "aws.s3", "account", "123456789012",
                    "region", "us-east-1", "detail", Map.of("bucket", Map.of("name", BUCKET),
                            "object", Map.of("key", key))));
            case "batch" -> Json.write(Map.of("invocationSchemaVersion", "2.0", "invocationId", "inv-" + versionId,
                    "job", Map.of("id", "job-1", "userArguments", Map.of()),
                    "tasks", List.of(Map.of("taskId", "t-" + versionId, "s3Bucket", BUCKET,
                            "s3Key", URLEncoder.encode(key, StandardCharsets.UTF_8), "s3VersionId", versionId))));
            default -> S3Fixture.notification(key);
        };
    }

    /** Delivers one event; returns the writes it made (request log). */
    private int deliver(ReencryptConfig config, String event) {
        f.emulator.clearRequests();
        JsonNode response = f.invoke(config, event);
        for (JsonNode item : response.path("items")) {
            assertThat(item.path("outcome").asText()).as(item.toString()).isIn("CHANGED", "COMPLIANT", "SKIPPED");
        }
        for (JsonNode result : response.path("results")) {
            assertThat(result.path("resultCode").asText()).as(result.toString()).isEqualTo("Succeeded");
        }
        List<String> ops = new ArrayList<>(f.s3Operations());
        assertThat(ops).doesNotContain("GetObject");
        return (int) ops.stream().filter(WRITES::contains).count();
    }

    private EndState state(String key) {
        HeadObjectResponse h = f.head(key);
        return new EndState(f.content(key), h.serverSideEncryptionAsString(), h.ssekmsKeyId(), h.bucketKeyEnabled(),
                h.contentType(), h.metadata());
    }
}
