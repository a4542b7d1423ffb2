package dev.atrest.backfill;

import static dev.atrest.backfill.BackfillFixture.REPORTS;
import static dev.atrest.backfill.BackfillFixture.items;
import static dev.atrest.backfill.BackfillFixture.jobOf;
import static dev.atrest.backfill.BackfillFixture.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrest.core.json.Json;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.EventFiles;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The objects S3UpdateObjectEncryption cannot take, each grouped and handled by its reason: Object Lock (a person),
 * SSE-C and DSSE-KMS (reported), unencrypted (the S3 function, once), deleted meanwhile (nothing to do); retryable
 * failures retried through the S3 function once and never twice; a tampered report never acted on.
 */
@ExtendWith(EmulatorExtension.class)
class FailureCasesEmulatorTest {
    static final String BUCKET = "atrest-backfill-mixed";
    static final String LOCKED = "atrest-backfill-locked";

    private BackfillFixture f;

    @BeforeEach
    void setUp(Emulator emulator) {
        f = new BackfillFixture(emulator, BUCKET);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private static Map<String, Long> reasons(List<JsonNode> summaries) {
        return items(summaries, BackfillService.FAILED_TASKS).stream().collect(Collectors.toMap(
                i -> i.path("details").path("reason").asText(), i -> i.path("details").path("count").asLong()));
    }

    @Test
    void objectLockIsReportedAsNeedingAPersonAndNeverRetried() {
        f.s3.createBucket(b -> b.bucket(LOCKED).objectLockEnabledForBucket(true));
        f.seed(LOCKED, "free ", 3, true);
        f.s3.putObject(b -> b.bucket(LOCKED).key("held").serverSideEncryption(ServerSideEncryption.AES256)
                .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON), RequestBody.fromString("held"));
        f.s3.putObject(b -> b.bucket(LOCKED).key("retained").serverSideEncryption(ServerSideEncryption.AES256)
                .objectLockMode(ObjectLockMode.COMPLIANCE)
                .objectLockRetainUntilDate(Instant.now().plus(1, ChronoUnit.DAYS)), RequestBody.fromString("kept"));
        S3BackfillHandler handler = f.handler(f.config(false, LOCKED));

        f.invoke(handler, start(LOCKED));
        List<JsonNode> reports = f.deliver(handler);

        assertThat(reasons(reports)).containsExactly(Map.entry("OBJECT_LOCK", 2L));
        assertThat(items(reports, BackfillService.FAILED_TASKS)).singleElement().satisfies(i -> {
            assertThat(i.path("outcome").asText()).isEqualTo("REPORTED");
            assertThat(i.path("reason").asText()).contains("a person must decide");
            assertThat(i.path("details").path("samples").toString()).contains("held", "retained");
        });
        assertThat(items(reports, BackfillService.RETRY_JOB)).isEmpty();
        assertThat(f.notUnderTarget(LOCKED)).containsExactlyInAnyOrder("held", "retained");
    }

    @Test
    void objectsThatChangedAfterTheListingAreGroupedAndOnlyTheUnencryptedOneGoesToTheS3Function() throws Exception {
        f.seed(BUCKET, "k", 6, true);
        f.mode("manual");
        S3BackfillHandler handler = f.handler(f.config(false, BUCKET));
        JsonNode started = f.invoke(handler, start(BUCKET));
        String sseJob = jobOf(started, JobKind.SSE_S3);
        f.step(sseJob, "step");
        f.step(sseJob, "step"); // the manifest is listed: six SSE-S3 objects
        f.step(jobOf(started, JobKind.NOT_SSE), "run");

        // Between the listing and the tasks: SSE-C, DSSE-KMS, an unencrypted overwrite, a deletion.
        byte[] customerKey = "k".repeat(32).getBytes(StandardCharsets.UTF_8);
        String customerKeyMd5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(customerKey));
        f.s3.putObject(b -> b.bucket(BUCKET).key("k0").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(Base64.getEncoder().encodeToString(customerKey)).sseCustomerKeyMD5(customerKeyMd5),
                RequestBody.fromString("sse-c"));
        f.s3.putObject(b -> b.bucket(BUCKET).key("k1").serverSideEncryption(ServerSideEncryption.AWS_KMS_DSSE)
                .ssekmsKeyId(f.keyArn), RequestBody.fromString("dsse"));
        f.put(BUCKET, "k2", "plain now", false);
        f.s3.deleteObject(b -> b.bucket(BUCKET).key("k3"));
        f.step(sseJob, "run");

        List<JsonNode> reports = f.deliver(handler);
        assertThat(reasons(reports)).containsOnly(Map.entry("UNSUPPORTED_ENCRYPTION", 2L),
                Map.entry("UNENCRYPTED", 1L), Map.entry("GONE", 1L));
        JsonNode finished = items(reports, BackfillService.JOB_FINISHED).stream()
                .filter(i -> sseJob.equals(i.path("details").path("jobId").asText())).findFirst().orElseThrow();
        assertThat(finished.path("details").path("succeeded").asLong()).isEqualTo(2);
        assertThat(finished.path("details").path("report").asText()).startsWith("s3://" + REPORTS + "/");
        JsonNode retry = items(reports, BackfillService.RETRY_JOB).get(0);
        assertThat(retry.path("details").path("tasks").asLong()).isEqualTo(1);
        String retryJob = retry.path("details").path("jobId").asText();

        // The retry job runs the S3 function on the unencrypted object only, and is not retried itself.
        f.step(retryJob, "run");
        assertThat(f.runLambdaPath(retryJob, f.lambdaPath(false))).isEqualTo(1);
        f.step(retryJob, "run");
        List<JsonNode> afterRetry = f.deliver(handler);
        assertThat(items(afterRetry, BackfillService.JOB_FINISHED)).singleElement().satisfies(i -> {
            assertThat(i.path("details").path("kind").asText()).isEqualTo("retry");
            assertThat(i.path("details").path("retryOf").asText()).isEqualTo(sseJob);
            assertThat(i.path("details").path("succeeded").asLong()).isEqualTo(1);
        });
        assertThat(f.head(BUCKET, "k2").serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(f.notUnderTarget(BUCKET)).containsExactlyInAnyOrder("k0", "k1");
    }

    @Test
    void retryableFailuresGoThroughTheS3FunctionOnceAndNeverTwice() {
        f.seed(BUCKET, "plain ", 3, false);
        S3BackfillHandler handler = f.handler(f.config(false, BUCKET));
        String plainJob = jobOf(f.invoke(handler, start(BUCKET)), JobKind.NOT_SSE);
        // The function crashed on every task: S3 records Lambda's function error.
        String crash = "Lambda returned function error: {\"errorMessage\":\"Task timed out after 900.00 seconds\"}";
        assertThat(f.answerLambdaPath(plainJob, "PermanentFailure", crash)).isEqualTo(3);
        List<JsonNode> first = f.deliver(handler);
        assertThat(reasons(first)).containsExactly(Map.entry("RETRYABLE", 3L));
        String retryJob = items(first, BackfillService.RETRY_JOB).get(0).path("details").path("jobId").asText();

        // The retry job crashes too: reported, and no third job.
        assertThat(f.answerLambdaPath(retryJob, "PermanentFailure", crash)).isEqualTo(3);
        List<JsonNode> second = f.deliver(handler);
        assertThat(items(second, BackfillService.RETRY_JOB)).isEmpty();
        assertThat(items(second, BackfillService.FAILED_TASKS)).singleElement().satisfies(i -> {
            assertThat(i.path("outcome").asText()).isEqualTo("FAILED");
            assertThat(i.path("reason").asText()).contains("failed again on its one retry");
        });
        assertThat(f.control.listJobs(b -> b.accountId(BackfillFixture.ACCOUNT)).jobs()).hasSize(3);

        // A redelivered end-of-job event of the first job gets the same retry job back, not a second one.
        JsonNode again = f.invoke(handler, "{\"jobs\": [\"" + plainJob + "\"]}");
        assertThat(items(again, BackfillService.RETRY_JOB)).singleElement()
                .satisfies(i -> assertThat(i.path("details").path("jobId").asText()).isEqualTo(retryJob));
        assertThat(f.control.listJobs(b -> b.accountId(BackfillFixture.ACCOUNT)).jobs()).hasSize(3);
    }

    @Test
    void aThrottledUpdateInTheReportIsRetriedThroughTheS3Function() throws Exception {
        String sseJob = finishedJobWithOneUnencryptedFailure();
        rewriteReport(sseJob, "503", "SlowDown", "Please reduce your request rate.", true);
        S3BackfillHandler handler = f.handler(f.config(false, BUCKET));
        JsonNode watched = f.invoke(handler, "{\"jobs\": [\"" + sseJob + "\"]}");
        assertThat(reasons(List.of(watched))).containsExactly(Map.entry("RETRYABLE", 1L));
        assertThat(items(watched, BackfillService.RETRY_JOB)).singleElement();
    }

    @Test
    void aReportThatDoesNotMatchItsChecksumIsNeverActedOn() throws Exception {
        String sseJob = finishedJobWithOneUnencryptedFailure();
        rewriteReport(sseJob, "503", "SlowDown", "Please reduce your request rate.", false);
        S3BackfillHandler handler = f.handler(f.config(false, BUCKET));
        f.emulator.clearRequests();
        JsonNode watched = f.invoke(handler, "{\"jobs\": [\"" + sseJob + "\"]}");
        assertThat(items(watched, BackfillService.REPORT_UNUSABLE)).singleElement()
                .satisfies(i -> assertThat(i.path("reason").asText()).contains("MD5"));
        assertThat(items(watched, BackfillService.RETRY_JOB)).isEmpty();
        assertThat(f.emulator.count("s3control", "CreateJob")).isZero();
        assertThat(f.emulator.count("s3", "PutObject")).isZero();
    }

    /** A completed SSE-S3 job with one failed task (an object made unencrypted after the listing). */
    private String finishedJobWithOneUnencryptedFailure() {
        f.seed(BUCKET, "k", 2, true);
        f.mode("manual");
        S3BackfillHandler handler = f.handler(f.config(false, BUCKET));
        String sseJob = jobOf(f.invoke(handler, start(BUCKET)), JobKind.SSE_S3);
        f.step(sseJob, "step");
        f.step(sseJob, "step");
        f.put(BUCKET, "k1", "plain now", false);
        f.step(sseJob, "run");
        assertThat(f.job(sseJob).path("failed").asLong()).isEqualTo(1);
        return sseJob;
    }

    /** Replaces the failed rows of the job's report; with {@code fixChecksum} the manifest's MD5 follows. */
    private void rewriteReport(String jobId, String status, String code, String message, boolean fixChecksum)
            throws Exception {
        String manifestKey = JobRequests.reportBase(JobRequests.REPORT_PREFIX, jobId) + "/manifest.json";
        ObjectNode manifest = (ObjectNode) EventFiles.json(f.s3.getObjectAsBytes(b -> b.bucket(REPORTS)
                .key(manifestKey)).asUtf8String());
        ObjectNode failed = (ObjectNode) manifest.path("Results").get(0);
        String rows = BUCKET + ",k1,," + "failed," + status + "," + code + ",\"" + message + "\"\n";
        f.s3.putObject(b -> b.bucket(REPORTS).key(failed.path("Key").asText()), RequestBody.fromString(rows));
        if (fixChecksum) {
            failed.put("MD5Checksum", HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(rows.getBytes(StandardCharsets.UTF_8))));
            f.s3.putObject(b -> b.bucket(REPORTS).key(manifestKey), RequestBody.fromString(Json.write(manifest)));
        }
    }
}
