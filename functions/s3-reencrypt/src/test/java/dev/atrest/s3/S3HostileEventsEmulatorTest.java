package dev.atrest.s3;

import static dev.atrest.s3.S3Fixture.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrest.core.json.Json;
import dev.atrest.core.json.MalformedEventException;
import dev.atrest.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Hostile input: malformed and adversarial events through the real stream entry point, with real SDK
 * clients against the emulator. Every case names (or tries to name) a seeded SSE-S3 object, so acting on it would
 * show up as a write. Each ends in a clear MalformedEventException or in items that are reported as skipped or
 * rejected (Batch: PermanentFailure, or Succeeded with a SKIPPED result string), never in another exception, and never
 * in a write (request log).
 */
class S3HostileEventsEmulatorTest extends S3EmulatorTest {
    static final String VICTIM = "victim.txt";
    static final Set<String> WRITES = Set.of("PutObject", "CopyObject", "UpdateObjectEncryption", "UploadPartCopy",
            "UploadPart", "CreateMultipartUpload", "CompleteMultipartUpload", "PutObjectTagging", "DeleteObject",
            "DeleteObjects", "DeleteObjectTagging", "PutObjectRetention", "PutObjectLegalHold");

    enum Expect {
        /** MalformedEventException before any S3 call. */
        MALFORMED,
        /** Every item REJECT_RECORD / FAILED (Batch: PermanentFailure), before any S3 call. */
        REJECTED,
        /** Every item IGNORE_EVENT / SKIPPED (Batch: Succeeded, SKIPPED), before any S3 call. */
        IGNORED,
        /** Every item skipped or rejected; a HEAD may be made (the key is well formed but names no object). */
        NO_ACTION
    }

    record Case(String name, byte[] body, Expect expect, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeEach
    void seed() {
        f.put(VICTIM, "victim content", ServerSideEncryption.AES256);
        f.put("good.txt", "good content", ServerSideEncryption.AES256);
        f.emulator.clearRequests();
    }

    // ---- event builders -------------------------------------------------------------------------------------------

    static ObjectNode record(String key) {
        return (ObjectNode) Json.readTree(new ByteArrayInputStream(S3Fixture.notification(key)
                .getBytes(StandardCharsets.UTF_8))).get("Records").get(0);
    }

    /** A notification whose single record is the victim's, changed by {@code change}. */
    static String notif(Consumer<ObjectNode> change) {
        ObjectNode r = record(VICTIM);
        change.accept(r);
        return "{\"Records\":[" + Json.write(r) + "]}";
    }

    static ObjectNode object(ObjectNode record) {
        return (ObjectNode) record.get("s3").get("object");
    }

    static String eventBridge(Consumer<ObjectNode> change) {
        ObjectNode e = (ObjectNode) Json.readTree(new ByteArrayInputStream(("{\"version\":\"0\",\"id\":\"eb-1\","
                + "\"detail-type\":\"Object Created\",\"source\":\"aws.s3\",\"account\":\"123456789012\","
                + "\"region\":\"us-east-1\",\"detail\":{\"version\":\"0\",\"bucket\":{\"name\":\"" + BUCKET + "\"},"
                + "\"object\":{\"key\":\"" + VICTIM + "\",\"size\":14}}}").getBytes(StandardCharsets.UTF_8)));
        change.accept(e);
        return Json.write(e);
    }

    static String batch(Consumer<ObjectNode> change) {
        ObjectNode e = (ObjectNode) Json.readTree(new ByteArrayInputStream(("{\"invocationSchemaVersion\":\"2.0\","
                + "\"invocationId\":\"inv-1\",\"job\":{\"id\":\"job-1\",\"userArguments\":{}},\"tasks\":[{\"taskId\":"
                + "\"t1\",\"s3Bucket\":\"" + BUCKET + "\",\"s3Key\":\"" + VICTIM + "\",\"s3VersionId\":null}]}")
                .getBytes(StandardCharsets.UTF_8)));
        change.accept(e);
        return Json.write(e);
    }

    static ObjectNode task(ObjectNode batch) {
        return (ObjectNode) batch.get("tasks").get(0);
    }

    static Case c(String name, String body, Expect expect, String message) {
        return new Case(name, body.getBytes(StandardCharsets.UTF_8), expect, message);
    }

    static Case c(String name, byte[] body, Expect expect, String message) {
        return new Case(name, body, expect, message);
    }

    static String big(int chars) {
        return "A".repeat(chars);
    }

    static Stream<Case> corpus() {
        String good = S3Fixture.notification(VICTIM);
        List<Case> cases = new ArrayList<>();
        // -- not one JSON object ---------------------------------------------------------------------------------
        cases.add(c("empty body", "", Expect.MALFORMED, ""));
        cases.add(c("whitespace", "  \n\t ", Expect.MALFORMED, ""));
        cases.add(c("null", "null", Expect.MALFORMED, ""));
        cases.add(c("number", "42", Expect.MALFORMED, ""));
        cases.add(c("string", "\"Records\"", Expect.MALFORMED, ""));
        cases.add(c("array", "[]", Expect.MALFORMED, ""));
        cases.add(c("array holding the event", "[" + good + "]", Expect.MALFORMED, ""));
        cases.add(c("truncated JSON", good.substring(0, good.length() / 2), Expect.MALFORMED, ""));
        cases.add(c("truncated by one character", good.substring(0, good.length() - 1), Expect.MALFORMED, ""));
        cases.add(c("trailing }", good + "}", Expect.MALFORMED, ""));
        cases.add(c("two events concatenated", good + good, Expect.MALFORMED, ""));
        cases.add(c("single quotes", good.replace('"', '\''), Expect.MALFORMED, ""));
        cases.add(c("raw NUL byte", new byte[] {'{', 0, '}'}, Expect.MALFORMED, ""));
        cases.add(c("invalid UTF-8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'},
                Expect.MALFORMED, ""));
        cases.add(c("nesting 5000 deep", "{\"Records\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
                Expect.MALFORMED, ""));
        // -- envelope --------------------------------------------------------------------------------------------
        cases.add(c("{}", "{}", Expect.MALFORMED, "unknown event shape"));
        cases.add(c("Records null", "{\"Records\":null}", Expect.MALFORMED, "Records"));
        cases.add(c("Records object", "{\"Records\":{}}", Expect.MALFORMED, "Records"));
        cases.add(c("Records string", "{\"Records\":\"x\"}", Expect.MALFORMED, "Records"));
        cases.add(c("Records empty", "{\"Records\":[]}", Expect.MALFORMED, "Records"));
        cases.add(c("unknown source SQS-like", "{\"messages\":[{\"body\":\"x\"}]}", Expect.MALFORMED,
                "unknown event shape"));
        cases.add(c("EventBridge without source", eventBridge(e -> e.remove("source")), Expect.MALFORMED,
                "not an S3 'Object Created' event"));
        cases.add(c("EventBridge from aws.kms", eventBridge(e -> e.put("source", "aws.kms")), Expect.MALFORMED,
                "not an S3"));
        cases.add(c("EventBridge Object Deleted", eventBridge(e -> e.put("detail-type", "Object Deleted")),
                Expect.MALFORMED, "not an S3"));
        cases.add(c("EventBridge detail-type null", eventBridge(e -> e.putNull("detail-type")), Expect.MALFORMED,
                "not an S3"));
        cases.add(c("EventBridge detail-type array", eventBridge(e -> e.putArray("detail-type")), Expect.MALFORMED,
                "not an S3"));
        cases.add(c("EventBridge 200 KB source", eventBridge(e -> e.put("source", big(200_000))), Expect.MALFORMED,
                "not an S3"));
        cases.add(c("EventBridge detail missing", eventBridge(e -> e.remove("detail")), Expect.MALFORMED,
                "detail"));
        cases.add(c("EventBridge detail string", eventBridge(e -> e.put("detail", "x")), Expect.MALFORMED,
                "detail"));
        cases.add(c("EventBridge account number", eventBridge(e -> e.put("account", 123456789012L)),
                Expect.MALFORMED, "account"));
        cases.add(c("Batch schema 1.0", batch(e -> e.put("invocationSchemaVersion", "1.0")), Expect.MALFORMED,
                "invocationSchemaVersion"));
        cases.add(c("Batch schema 3.0", batch(e -> e.put("invocationSchemaVersion", "3.0")), Expect.MALFORMED,
                "invocationSchemaVersion"));
        cases.add(c("Batch schema as number 2.0", batch(e -> e.put("invocationSchemaVersion", 2.0)),
                Expect.MALFORMED, "invocationSchemaVersion"));
        cases.add(c("Batch schema null", batch(e -> e.putNull("invocationSchemaVersion")), Expect.MALFORMED,
                "invocationSchemaVersion"));
        cases.add(c("Batch without invocationId", batch(e -> e.remove("invocationId")), Expect.MALFORMED,
                "invocationId"));
        cases.add(c("Batch without tasks", batch(e -> e.remove("tasks")), Expect.MALFORMED, "tasks"));
        cases.add(c("Batch tasks empty", batch(e -> e.putArray("tasks")), Expect.MALFORMED, "tasks"));
        cases.add(c("Batch tasks object", batch(e -> e.putObject("tasks")), Expect.MALFORMED, "tasks"));
        cases.add(c("Batch task without taskId", batch(e -> task(e).remove("taskId")), Expect.MALFORMED,
                "taskId"));
        cases.add(c("Batch taskId number", batch(e -> task(e).put("taskId", 7)), Expect.MALFORMED, "taskId"));
        cases.add(c("Batch task is a string", batch(e -> ((ArrayNode) e.get("tasks")).set(0, "t1")),
                Expect.MALFORMED, "taskId"));
        // -- notification records: rejected, the record names no usable object ---------------------------------
        cases.add(c("record is a string", "{\"Records\":[\"x\"]}", Expect.REJECTED, "not an object"));
        cases.add(c("record is null", "{\"Records\":[null]}", Expect.REJECTED, "not an object"));
        cases.add(c("eventSource aws:sqs", notif(r -> r.put("eventSource", "aws:sqs")), Expect.REJECTED,
                "not aws:s3"));
        cases.add(c("eventSource object", notif(r -> r.putObject("eventSource")), Expect.REJECTED, "strings"));
        cases.add(c("eventName ObjectRemoved", notif(r -> r.put("eventName", "ObjectRemoved:Delete")),
                Expect.REJECTED, "not an ObjectCreated event"));
        cases.add(c("eventName number", notif(r -> r.put("eventName", 1)), Expect.REJECTED, "strings"));
        cases.add(c("eventName 200 KB", notif(r -> r.put("eventName", big(200_000))), Expect.REJECTED,
                "not an ObjectCreated event"));
        cases.add(c("awsRegion number", notif(r -> r.put("awsRegion", 1)), Expect.REJECTED, "strings"));
        cases.add(c("s3 missing", notif(r -> r.remove("s3")), Expect.REJECTED, "must be non-empty strings"));
        cases.add(c("s3 is a string", notif(r -> r.put("s3", "x")), Expect.REJECTED, "must be non-empty strings"));
        cases.add(c("bucket name null", notif(r -> ((ObjectNode) r.get("s3").get("bucket")).putNull("name")),
                Expect.REJECTED, "must be non-empty strings"));
        cases.add(c("bucket name number", notif(r -> ((ObjectNode) r.get("s3").get("bucket")).put("name", 5)),
                Expect.REJECTED, "must be non-empty strings"));
        cases.add(c("key missing", notif(r -> object(r).remove("key")), Expect.REJECTED,
                "must be non-empty strings"));
        cases.add(c("key null", notif(r -> object(r).putNull("key")), Expect.REJECTED, "must be non-empty strings"));
        cases.add(c("key number", notif(r -> object(r).put("key", 42)), Expect.REJECTED,
                "must be non-empty strings"));
        cases.add(c("key object", notif(r -> object(r).putObject("key").put("name", VICTIM)), Expect.REJECTED,
                "must be non-empty strings"));
        cases.add(c("key array", notif(r -> object(r).putArray("key").add(VICTIM)), Expect.REJECTED,
                "must be non-empty strings"));
        cases.add(c("key empty", notif(r -> object(r).put("key", "")), Expect.REJECTED,
                "must be non-empty strings"));
        cases.add(c("key %zz", notif(r -> object(r).put("key", "victim%zz.txt")), Expect.REJECTED,
                "not URL-encoded"));
        cases.add(c("key %", notif(r -> object(r).put("key", "%")), Expect.REJECTED, "not URL-encoded"));
        cases.add(c("key ending in %4", notif(r -> object(r).put("key", "victim.txt%4")), Expect.REJECTED,
                "not URL-encoded"));
        cases.add(c("key 2000 bytes", notif(r -> object(r).put("key", big(2000))), Expect.REJECTED,
                "at most 1024"));
        cases.add(c("key 200 KB with a bad escape", notif(r -> object(r).put("key", big(200_000) + "%zz")),
                Expect.REJECTED, "not URL-encoded"));
        cases.add(c("10000 bad records", "{\"Records\":[" + String.join(",", java.util.Collections.nCopies(10_000,
                "{\"eventSource\":\"aws:s3\",\"s3\":{}}")) + "]}", Expect.REJECTED, "must be non-empty strings"));
        cases.add(c("EventBridge key number", eventBridge(e -> ((ObjectNode) e.get("detail").get("object"))
                .put("key", 1)), Expect.REJECTED, "must be non-empty strings"));
        cases.add(c("EventBridge key 2000 bytes", eventBridge(e -> ((ObjectNode) e.get("detail").get("object"))
                .put("key", big(2000))), Expect.REJECTED, "at most 1024"));
        cases.add(c("Batch s3Key %zz", batch(e -> task(e).put("s3Key", "%zz")), Expect.REJECTED,
                "not URL-encoded"));
        cases.add(c("Batch s3Bucket missing", batch(e -> task(e).remove("s3Bucket")), Expect.REJECTED,
                "must be non-empty strings"));
        cases.add(c("Batch s3Key number", batch(e -> task(e).put("s3Key", 3)), Expect.REJECTED,
                "must be non-empty strings"));
        cases.add(c("Batch s3VersionId number", batch(e -> task(e).put("s3VersionId", 3)), Expect.REJECTED,
                "s3VersionId"));
        cases.add(c("Batch s3Key 2000 bytes", batch(e -> task(e).put("s3Key", big(2000))), Expect.REJECTED,
                "at most 1024"));
        // -- well-formed, but not ours to act on: skipped before any S3 call -----------------------------------
        cases.add(c("record for another region", notif(r -> r.put("awsRegion", "eu-west-1")), Expect.IGNORED,
                "another region"));
        cases.add(c("record region with a newline", notif(r -> r.put("awsRegion", "us-east-1\n")), Expect.IGNORED,
                "another region"));
        cases.add(c("EventBridge for another account", eventBridge(e -> e.put("account", "999999999999")),
                Expect.IGNORED, "another account"));
        cases.add(c("EventBridge for another region", eventBridge(e -> e.put("region", "eu-west-1")),
                Expect.IGNORED, "another region"));
        cases.add(c("self-caused", notif(r -> ((ObjectNode) r.get("userIdentity"))
                .put("principalId", S3Fixture.OWN_PRINCIPAL)), Expect.IGNORED, "own write"));
        // -- well-formed keys that name no object: at most a HEAD, then a reported skip -----------------------
        cases.add(c("key ../victim.txt", notif(r -> object(r).put("key", "../" + VICTIM)), Expect.NO_ACTION, ""));
        cases.add(c("key a/../victim.txt", notif(r -> object(r).put("key", "a/../" + VICTIM)), Expect.NO_ACTION,
                ""));
        cases.add(c("key ./victim.txt", notif(r -> object(r).put("key", "./" + VICTIM)), Expect.NO_ACTION, ""));
        cases.add(c("key %2E%2E%2Fvictim.txt", notif(r -> object(r).put("key", "%2E%2E%2F" + VICTIM)),
                Expect.NO_ACTION, ""));
        cases.add(c("key with NUL", notif(r -> object(r).put("key", "victim.txt%00")), Expect.NO_ACTION, ""));
        cases.add(c("key with newline", notif(r -> object(r).put("key", "victim%0A.txt")), Expect.NO_ACTION, ""));
        cases.add(c("key with ESC", notif(r -> object(r).put("key", "%1B[31mvictim.txt")), Expect.NO_ACTION, ""));
        cases.add(c("key with RLO", notif(r -> object(r).put("key", "%E2%80%AEtxt.victim")), Expect.NO_ACTION,
                ""));
        cases.add(c("key with truncated UTF-8 escape", notif(r -> object(r).put("key", "victim%E2%80.txt")),
                Expect.NO_ACTION, ""));
        cases.add(c("key with a query string", notif(r -> object(r).put("key", "victim.txt%3Fencryption")),
                Expect.NO_ACTION, ""));
        cases.add(c("key ?versionId injection", notif(r -> object(r).put("key", "victim.txt?versionId=1")),
                Expect.NO_ACTION, ""));
        cases.add(c("bucket of someone else", notif(r -> ((ObjectNode) r.get("s3").get("bucket"))
                .put("name", "someone-elses-bucket")), Expect.NO_ACTION, ""));
        cases.add(c("bucket name with a slash", notif(r -> ((ObjectNode) r.get("s3").get("bucket"))
                .put("name", BUCKET + "/" + VICTIM)), Expect.NO_ACTION, ""));
        cases.add(c("Batch pinned version that does not exist", batch(e -> task(e).put("s3VersionId", "nope")),
                Expect.NO_ACTION, ""));
        return cases.stream();
    }

    @Test
    void theCorpusHasAtLeastFiftyCases() {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(50);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("corpus")
    void aHostileEventGivesAClearErrorOrAReportedSkipAndNeverAWrite(Case c) {
        JsonNode response;
        try {
            response = invokeRaw(c.body());
        } catch (MalformedEventException e) {
            assertThat(c.expect()).as("MalformedEventException: " + e.getMessage()).isEqualTo(Expect.MALFORMED);
            assertThat(e.getMessage()).contains(c.message()).hasSizeLessThan(600);
            assertThat(f.emulator.count("s3")).as("S3 requests").isZero();
            assertUntouched();
            return;
        } catch (RuntimeException e) {
            fail("undocumented exception for '" + c.name() + "'", e);
            return;
        }
        assertThat(c.expect()).as("no exception; response " + abbreviated(response)).isNotEqualTo(Expect.MALFORMED);
        List<String[]> items = items(response);
        assertThat(items).isNotEmpty();
        for (String[] item : items) {
            String outcome = item[0];
            String action = item[1];
            String reason = item[2];
            assertThat(reason).hasSizeLessThan(600).doesNotContain("\n", "\u0000", "\u001B");
            switch (c.expect()) {
                case REJECTED -> assertThat(outcome + " " + action).isEqualTo("FAILED REJECT_RECORD");
                case IGNORED -> assertThat(outcome + " " + action).isEqualTo("SKIPPED IGNORE_EVENT");
                default -> assertThat(outcome).isIn("SKIPPED", "FAILED");
            }
            assertThat(reason).contains(c.message());
        }
        if (c.expect() != Expect.NO_ACTION) {
            assertThat(f.emulator.count("s3")).as("S3 requests").isZero();
        }
        assertUntouched();
    }

    /** Each hostile record next to a good one: the good one is still re-encrypted, the bad one reported. */
    static Stream<Case> recordCases() {
        // Envelope-level cases have no "other records"; the 10000-record case is covered above.
        return corpus().filter(c -> c.expect() != Expect.MALFORMED && !c.name().startsWith("10000")
                && new String(c.body(), StandardCharsets.UTF_8).startsWith("{\"Records\":["));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("recordCases")
    void aBadRecordNeverDropsTheGoodRecordsOfTheSameEvent(Case c) throws Exception {
        JsonNode event = Json.MAPPER.readTree(c.body());
        ((ArrayNode) event.get("Records")).insert(0, record("good.txt"));
        ((ArrayNode) event.get("Records")).add(record("good.txt").put("eventName", "ObjectCreated:Copy"));
        JsonNode summary = invokeRaw(Json.write(event).getBytes(StandardCharsets.UTF_8));
        List<String[]> items = items(summary);
        assertThat(items.get(0)[0]).as(abbreviated(summary)).isEqualTo("CHANGED");
        assertThat(items.get(items.size() - 1)[1]).isEqualTo("IGNORE_EVENT"); // the duplicate of good.txt
        for (String[] item : items.subList(1, items.size() - 1)) {
            assertThat(item[0]).isIn("SKIPPED", "FAILED");
        }
        assertThat(f.head("good.txt").ssekmsKeyId()).isEqualTo(f.keyArn);
        for (Map<String, Object> r : f.emulator.requests()) {
            if (WRITES.contains(String.valueOf(r.get("operation")))) {
                assertThat(String.valueOf(r.get("path"))).isEqualTo("/" + BUCKET + "/good.txt");
            }
        }
        assertThat(f.head(VICTIM).serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    }

    private void assertUntouched() {
        List<String> writes = f.emulator.requests().stream().map(r -> String.valueOf(r.get("operation")))
                .filter(WRITES::contains).toList();
        assertThat(writes).as("writes").isEmpty();
        assertThat(f.emulator.count("s3", "GetObject")).isZero();
        assertThat(f.head(VICTIM).serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    }

    private JsonNode invokeRaw(byte[] body) {
        S3ReencryptHandler handler = new S3ReencryptHandler(f.config(), f.clients);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(body), out, new TestContext(S3Fixture.FUNCTION));
            return Json.MAPPER.readTree(out.toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** (outcome, action, reason) per item; Batch results are read back into the same shape. */
    private static List<String[]> items(JsonNode response) {
        List<String[]> out = new ArrayList<>();
        if (response.has("results")) {
            for (JsonNode r : response.get("results")) {
                String code = r.path("resultCode").asText();
                String s = r.path("resultString").asText();
                String[] parts = s.split(" ", 3);
                assertThat(code).isIn("PermanentFailure", "Succeeded");
                if ("Succeeded".equals(code)) {
                    assertThat(parts[0]).isEqualTo("SKIPPED");
                }
                out.add(new String[] {parts[0], parts[1].replace(":", ""), parts.length > 2 ? parts[2] : ""});
            }
            return out;
        }
        for (JsonNode i : response.path("items")) {
            out.add(new String[] {i.path("outcome").asText(), i.path("action").asText(), i.path("reason").asText()});
        }
        return out;
    }

    private static String abbreviated(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
    }
}
