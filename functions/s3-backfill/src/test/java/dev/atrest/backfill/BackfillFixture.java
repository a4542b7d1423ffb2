package dev.atrest.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.json.Json;
import dev.atrest.s3.ReencryptConfig;
import dev.atrest.s3.S3ReencryptHandler;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EventFiles;
import dev.atrest.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3control.S3ControlClient;

/**
 * A watched account in the emulator: a report bucket, a target key, buckets to converge, and the plumbing the
 * deployed function has and a test does not: EventBridge (the emulator's recorded job events, delivered to the
 * handler as the template's rule would) and Lambda (the LambdaInvoke tasks answered by the real S3 function, run
 * in-process).
 */
final class BackfillFixture implements AutoCloseable {
    static final String ACCOUNT = TestContext.ACCOUNT;
    static final String REPORTS = "atrest-backfill-reports";
    static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/atrest-backfill-job";
    static final String LAMBDA = "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:S3ReencryptFunction:live";
    /** The statuses the template's EventBridge rule passes to the function. */
    static final Set<String> RULE_STATUSES = Set.of("Suspended", "Active", "Complete", "Failed", "Cancelled");

    final Emulator emulator;
    final ClientFactory clients = new ClientFactory(Region.US_EAST_1);
    final S3Client s3 = clients.client("s3", () -> S3Client.builder().forcePathStyle(true));
    final S3ControlClient control = clients.client("s3control", S3ControlGateway::builder);
    final String keyArn;
    private final String[] buckets;
    private int eventsSeen;
    private int requests;

    BackfillFixture(Emulator emulator, String... buckets) {
        this.emulator = emulator;
        this.buckets = buckets.clone();
        KmsClient kms = clients.client("kms", KmsClient::builder);
        this.keyArn = kms.createKey(b -> b.description("atrest backfill target")).keyMetadata().arn();
        s3.createBucket(b -> b.bucket(REPORTS));
        for (String bucket : buckets) {
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    BackfillConfig config(boolean dryRun, String... buckets) {
        return BackfillConfig.builder().scope(dev.atrest.core.config.BucketScope.listed(buckets)).targetKeyArn(keyArn)
                .dryRun(dryRun).reportBucket(REPORTS).jobRoleArn(ROLE).lambdaPathArn(LAMBDA).accountId(ACCOUNT).build();
    }

    S3BackfillHandler handler(BackfillConfig config) {
        return new S3BackfillHandler(config, clients);
    }

    /** A new Lambda request id per invocation, as Lambda gives one (the same one only to its own retries). */
    JsonNode invoke(S3BackfillHandler handler, String event) {
        return invoke(handler, event, "req-" + (++requests));
    }

    JsonNode invoke(S3BackfillHandler handler, String event, String requestId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                    new TestContext(BackfillService.FUNCTION, 300_000, requestId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return EventFiles.json(out.toString(StandardCharsets.UTF_8));
    }

    static String start(String... buckets) {
        return Json.write(Map.of("buckets", List.of(buckets)));
    }

    void put(String bucket, String key, String body, boolean sseS3) {
        s3.putObject(b -> {
            b.bucket(bucket).key(key);
            if (sseS3) {
                b.serverSideEncryption(ServerSideEncryption.AES256);
            }
        }, RequestBody.fromString(body));
    }

    void seed(String bucket, String prefix, int count, boolean sseS3) {
        for (int i = 0; i < count; i++) {
            put(bucket, prefix + i, "object " + i, sseS3);
        }
    }

    HeadObjectResponse head(String bucket, String key) {
        return s3.headObject(b -> b.bucket(bucket).key(key));
    }

    /** The objects of a bucket that are not SSE-KMS under the target key. */
    List<String> notUnderTarget(String bucket) {
        List<String> out = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> {
            HeadObjectResponse h;
            try {
                h = head(bucket, o.key());
            } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                if (e.statusCode() != 400) {
                    throw e;
                }
                out.add(o.key()); // SSE-C: HEAD wants the customer's key
                return;
            }
            if (h.serverSideEncryption() != ServerSideEncryption.AWS_KMS || !keyArn.equals(h.ssekmsKeyId())) {
                out.add(o.key());
            }
        });
        return out;
    }

    void mode(String mode) {
        emulator.post("/_atrest/s3control/config", "{\"mode\":\"" + mode + "\"}");
    }

    JsonNode job(String jobId) {
        return EventFiles.json(emulator.get("/_atrest/s3control/jobs/" + jobId));
    }

    JsonNode step(String jobId, String action) {
        return EventFiles.json(emulator.post("/_atrest/s3control/jobs/" + jobId + "/" + action, "{}"));
    }

    /** The job status changes recorded since the last call that the template's rule would deliver. */
    List<String> newEvents() {
        ArrayNode all = (ArrayNode) EventFiles.json(emulator.get("/_atrest/s3control/events"));
        List<String> out = new ArrayList<>();
        for (int i = eventsSeen; i < all.size(); i++) {
            JsonNode e = all.get(i);
            JsonNode detail = e.path("detail");
            if ("JobStatusChanged".equals(detail.path("eventName").asText())
                    && RULE_STATUSES.contains(detail.path("serviceEventDetails").path("status").asText())) {
                out.add(Json.write(e));
            }
        }
        eventsSeen = all.size();
        return out;
    }

    /** Delivers every new rule-matched event to the handler, in order; returns the summaries. */
    List<JsonNode> deliver(S3BackfillHandler handler) {
        List<JsonNode> out = new ArrayList<>();
        for (String event : newEvents()) {
            out.add(invoke(handler, event));
        }
        return out;
    }

    /**
     * Answers every waiting LambdaInvoke task of the job the way Lambda would: the real S3 function, in-process,
     * with {@code config}; returns how many invocations it answered.
     */
    int runLambdaPath(String jobId, ReencryptConfig config) {
        S3ReencryptHandler function = new S3ReencryptHandler(config, clients);
        ArrayNode waiting = (ArrayNode) EventFiles.json(emulator.get("/_atrest/s3control/jobs/" + jobId
                + "/invocations"));
        List<JsonNode> responses = new ArrayList<>();
        for (JsonNode invocation : waiting) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                function.handleRequest(new ByteArrayInputStream(Json.write(invocation).getBytes(StandardCharsets.UTF_8)),
                        out, new TestContext("S3ReencryptFunction"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            responses.add(EventFiles.json(out.toString(StandardCharsets.UTF_8)));
        }
        if (!responses.isEmpty()) {
            emulator.post("/_atrest/s3control/jobs/" + jobId + "/invocations", Json.write(responses));
        }
        return responses.size();
    }

    /** Answers every waiting LambdaInvoke task with {@code resultCode} and {@code resultString}, as a failing function. */
    int answerLambdaPath(String jobId, String resultCode, String resultString) {
        ArrayNode waiting = (ArrayNode) EventFiles.json(emulator.get("/_atrest/s3control/jobs/" + jobId
                + "/invocations"));
        List<Map<String, Object>> responses = new ArrayList<>();
        for (JsonNode invocation : waiting) {
            responses.add(Map.of("invocationSchemaVersion", "2.0", "treatMissingKeysAs", "PermanentFailure",
                    "invocationId", invocation.path("invocationId").asText(),
                    "results", List.of(Map.of("taskId", invocation.path("tasks").get(0).path("taskId").asText(),
                            "resultCode", resultCode, "resultString", resultString))));
        }
        if (!responses.isEmpty()) {
            emulator.post("/_atrest/s3control/jobs/" + jobId + "/invocations", Json.write(responses));
        }
        return responses.size();
    }

    ReencryptConfig lambdaPath(boolean dryRun) {
        return ReencryptConfig.builder().targetKeyArn(keyArn).dryRun(dryRun).partSizeBytes(ReencryptConfig.MIN_PART_BYTES)
                .functionRoleId("AROAEXAMPLEROLEID1234").maxConcurrency(4).accountId("123456789012")
                .scope(dev.atrest.core.config.BucketScope.listed(buckets)).build();
    }

    /** The summary's items with this action. */
    static List<JsonNode> items(JsonNode summary, String action) {
        List<JsonNode> out = new ArrayList<>();
        summary.path("items").forEach(i -> {
            if (action.equals(i.path("action").asText())) {
                out.add(i);
            }
        });
        return out;
    }

    static List<JsonNode> items(List<JsonNode> summaries, String action) {
        List<JsonNode> out = new ArrayList<>();
        summaries.forEach(s -> out.addAll(items(s, action)));
        return out;
    }

    /** The job id the start created for {@code kind} (its START_JOB item). */
    static String jobOf(JsonNode startSummary, JobKind kind) {
        return items(startSummary, BackfillService.START_JOB).stream()
                .filter(i -> kind.tag().equals(i.path("details").path("kind").asText()))
                .map(i -> i.path("details").path("jobId").asText()).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " job in " + startSummary));
    }

    @Override
    public void close() {
        clients.close();
    }
}
