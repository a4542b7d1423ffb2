package dev.atrest.backfill;

import dev.atrest.core.config.BucketScope;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;

import static dev.atrest.backfill.BackfillFixture.items;
import static dev.atrest.backfill.BackfillFixture.jobOf;
import static dev.atrest.backfill.BackfillFixture.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** A seeded bucket converged end to end against the emulator: dry run, real run, convergence, repeated starts. */
@ExtendWith(EmulatorExtension.class)
class BackfillEmulatorTest {
    static final String BUCKET = "atrest-backfill-data";
    static final int SSE_S3 = 30;
    static final int PLAIN = 4;

    private BackfillFixture f;

    @BeforeEach
    void seed(Emulator emulator) {
        f = new BackfillFixture(emulator, BUCKET);
        f.seed(BUCKET, "sse-s3/object ", SSE_S3, true);
        f.seed(BUCKET, "plain/old+object ", PLAIN, false);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void dryRunCountsWhatWouldChangeAndNeverConfirms() {
        S3BackfillHandler handler = f.handler(f.config(true, BUCKET));
        JsonNode started = f.invoke(handler, start(BUCKET));
        assertThat(started.path("dryRun").asBoolean()).isTrue();
        assertThat(items(started, BackfillService.START_JOB)).hasSize(2)
                .allSatisfy(i -> assertThat(i.path("reason").asText()).contains("never confirms"));
        String sseJob = jobOf(started, JobKind.SSE_S3);
        String plainJob = jobOf(started, JobKind.NOT_SSE);

        List<JsonNode> reports = f.deliver(handler);
        List<JsonNode> counts = items(reports, BackfillService.DRY_RUN_COUNT);
        assertThat(counts).extracting(i -> i.path("details").path("jobId").asText() + "=" + i.path("details")
                .path("totalTasks").asLong()).containsExactlyInAnyOrder(sseJob + "=" + SSE_S3, plainJob + "=" + PLAIN);
        // Nothing changed, and the jobs still wait: atrest never confirms a dry-run job.
        assertThat(f.notUnderTarget(BUCKET)).hasSize(SSE_S3 + PLAIN);
        assertThat(f.job(sseJob).path("status").asText()).isEqualTo("Suspended");
        assertThat(f.job(plainJob).path("status").asText()).isEqualTo("Suspended");
        assertThat(f.emulator.count("s3control", "UpdateJobStatus")).isZero();

        // A second start sees the waiting jobs and starts nothing.
        JsonNode again = f.invoke(handler, start(BUCKET));
        assertThat(items(again, BackfillService.START_JOB)).isEmpty();
        assertThat(items(again, BackfillService.ALREADY_ACTIVE)).singleElement()
                .satisfies(i -> assertThat(i.path("reason").asText()).contains("Suspended", "never confirms"));
    }

    @Test
    void realRunConvergesTheBucketAndANewDryRunSaysSo() {
        S3BackfillHandler handler = f.handler(f.config(false, BUCKET));
        JsonNode started = f.invoke(handler, start(BUCKET));
        String sseJob = jobOf(started, JobKind.SSE_S3);
        String plainJob = jobOf(started, JobKind.NOT_SSE);
        // S3's own job ran to the end; the unencrypted objects wait for the Lambda path.
        assertThat(f.job(sseJob).path("status").asText()).isEqualTo("Complete");
        assertThat(f.job(plainJob).path("status").asText()).isEqualTo("Active");
        assertThat(f.runLambdaPath(plainJob, f.lambdaPath(false))).isEqualTo(PLAIN);
        assertThat(f.job(plainJob).path("status").asText()).isEqualTo("Complete");

        List<JsonNode> reports = f.deliver(handler);
        List<JsonNode> finished = items(reports, BackfillService.JOB_FINISHED);
        assertThat(finished).extracting(i -> i.path("details").path("kind").asText() + ":"
                + i.path("details").path("succeeded").asLong() + "/" + i.path("details").path("failed").asLong())
                .containsExactlyInAnyOrder("sse-s3:" + SSE_S3 + "/0", "not-sse:" + PLAIN + "/0");
        assertThat(finished).allSatisfy(i -> assertThat(i.path("details").has("durationSeconds")).isTrue());
        assertThat(items(reports, BackfillService.RETRY_JOB)).isEmpty();
        assertThat(f.notUnderTarget(BUCKET)).isEmpty();
        var head = f.head(BUCKET, "sse-s3/object 0");
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.bucketKeyEnabled()).isTrue();

        // Converged: a new filtered job finds nothing, and atrest says so for both filters.
        S3BackfillHandler dry = f.handler(f.config(true, BUCKET));
        f.invoke(dry, start(BUCKET));
        List<JsonNode> after = f.deliver(dry);
        List<JsonNode> converged = items(after, BackfillService.CONVERGED);
        assertThat(converged).hasSize(2).allSatisfy(i -> {
            assertThat(i.path("outcome").asText()).isEqualTo("COMPLIANT");
            assertThat(i.path("details").path("totalTasks").asLong()).isZero();
        });
        assertThat(items(after, BackfillService.DRY_RUN_COUNT)).isEmpty();
        // An empty dry-run job has nothing to confirm: atrest cancels it, so it never blocks the next start.
        converged.forEach(i -> assertThat(f.job(i.path("details").path("jobId").asText()).path("status").asText())
                .isEqualTo("Cancelled"));
        assertThat(items(f.deliver(dry), BackfillService.CONVERGED)).hasSize(2);
        assertThat(items(f.invoke(handler, start(BUCKET)), BackfillService.START_JOB)).hasSize(2);
    }

    @Test
    void aRepeatedStartOfTheSameRequestGetsTheSameJobsBack() {
        S3BackfillHandler handler = f.handler(f.config(false, BUCKET));
        // Lambda retries an asynchronous invocation with the same request id; the job ended in between, so only the
        // ClientRequestToken keeps the retry from starting a second job.
        JsonNode first = f.invoke(handler, start(BUCKET), "lambda-request-1");
        f.runLambdaPath(jobOf(first, JobKind.NOT_SSE), f.lambdaPath(false));
        JsonNode retried = f.invoke(handler, start(BUCKET), "lambda-request-1");
        assertThat(jobOf(retried, JobKind.SSE_S3)).isEqualTo(jobOf(first, JobKind.SSE_S3));
        assertThat(jobOf(retried, JobKind.NOT_SSE)).isEqualTo(jobOf(first, JobKind.NOT_SSE));
        assertThat(f.control.listJobs(b -> b.accountId(BackfillFixture.ACCOUNT)).jobs()).hasSize(2);

        // A new request is a new start.
        JsonNode next = f.invoke(handler, start(BUCKET), "lambda-request-2");
        assertThat(jobOf(next, JobKind.SSE_S3)).isNotEqualTo(jobOf(first, JobKind.SSE_S3));
    }

    @Test
    void anActiveJobIsReportedAndNothingNewStarts() {
        f.mode("manual");
        S3BackfillHandler handler = f.handler(f.config(false, BUCKET));
        JsonNode started = f.invoke(handler, start(BUCKET));
        String sseJob = jobOf(started, JobKind.SSE_S3);
        f.step(sseJob, "step");
        f.emulator.clearRequests();

        JsonNode again = f.invoke(handler, "{\"buckets\": \"all\"}");
        assertThat(items(again, BackfillService.START_JOB)).isEmpty();
        assertThat(items(again, BackfillService.ALREADY_ACTIVE)).singleElement().satisfies(i -> {
            assertThat(i.path("reason").asText()).contains(sseJob, "Preparing");
            assertThat(i.path("details").path("jobs")).hasSize(2);
        });
        assertThat(f.emulator.count("s3control", "CreateJob")).isZero();
    }

    @Test
    void bucketsOutsideTheConfiguredSetAreNeverTouched() {
        f.s3.createBucket(b -> b.bucket("someone-elses-bucket"));
        f.seed("someone-elses-bucket", "k", 3, true);
        S3BackfillHandler handler = f.handler(f.config(false, BUCKET));
        f.emulator.clearRequests();
        JsonNode summary = f.invoke(handler, start("someone-elses-bucket"));
        assertThat(items(summary, BackfillService.NOT_CONFIGURED)).singleElement();
        assertThat(f.emulator.requests()).isEmpty();
        assertThat(f.notUnderTarget("someone-elses-bucket")).hasSize(3);
    }

    /**
     * all-but-opted-out with EnableBucketEventBridge: every bucket of the Region but the tagged ones (the report
     * bucket is tagged by the template) gets its jobs, and EventBridge notifications added to a configuration that
     * keeps its queue exactly; the opted-out bucket is neither converged nor reconfigured.
     */
    @Test
    void everyBucketButTheOptedOutIsConvergedAndEventBridgeIsAddedKeepingTheRest() {
        String optedOut = "atrest-backfill-opted-out";
        f.s3.createBucket(b -> b.bucket(optedOut));
        f.seed(optedOut, "k", 2, true);
        for (String bucket : List.of(optedOut, BackfillFixture.REPORTS)) {
            f.s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(s -> s.key("atrest:opt-out")
                    .value("stack"))));
        }
        QueueConfiguration queue = QueueConfiguration.builder().id("removals")
                .queueArn("arn:aws:sqs:us-east-1:" + BackfillFixture.ACCOUNT + ":removals")
                .eventsWithStrings("s3:ObjectRemoved:*")
                .filter(n -> n.key(k -> k.filterRules(r -> r.name("prefix").value("in/")))).build();
        f.s3.putBucketNotificationConfiguration(b -> b.bucket(BUCKET).notificationConfiguration(c -> c
                .queueConfigurations(queue)));
        S3BackfillHandler handler = f.handler(f.config(false)
                .withScope(BucketScope.allButOptedOut("atrest:opt-out"), true));

        JsonNode summary = f.invoke(handler, "{\"buckets\": \"all\"}");

        assertThat(items(summary, BackfillService.START_JOB)).hasSize(2)
                .allSatisfy(i -> assertThat(i.path("details").path("bucket").asText()).isEqualTo(BUCKET));
        assertThat(items(summary, BackfillService.OPTED_OUT)).extracting(i -> i.path("details").path("bucket")
                .asText()).containsExactlyInAnyOrder(optedOut, BackfillFixture.REPORTS);
        assertThat(items(summary, BackfillService.ENABLE_EVENTBRIDGE)).singleElement()
                .satisfies(i -> assertThat(i.path("outcome").asText()).isEqualTo("CHANGED"));
        var after = f.s3.getBucketNotificationConfiguration(b -> b.bucket(BUCKET));
        assertThat(after.eventBridgeConfiguration()).isNotNull();
        assertThat(after.queueConfigurations()).containsExactly(queue);
        assertThat(after.topicConfigurations()).isEmpty();
        assertThat(f.s3.getBucketNotificationConfiguration(b -> b.bucket(optedOut)).eventBridgeConfiguration())
                .isNull();

        // Already on: read, nothing written.
        f.emulator.clearRequests();
        JsonNode again = f.invoke(handler, "{\"buckets\": \"all\"}");
        assertThat(items(again, BackfillService.ENABLE_EVENTBRIDGE)).singleElement()
                .satisfies(i -> assertThat(i.path("outcome").asText()).isEqualTo("COMPLIANT"));
        assertThat(f.emulator.count("s3", "PutBucketNotification")).isZero();
    }

    @Test
    void watchingAJobByHandReportsItLikeItsEvent() {
        S3BackfillHandler handler = f.handler(f.config(true, BUCKET));
        String sseJob = jobOf(f.invoke(handler, start(BUCKET)), JobKind.SSE_S3);
        JsonNode watched = f.invoke(handler, "{\"jobs\": [\"" + sseJob + "\"]}");
        assertThat(items(watched, BackfillService.DRY_RUN_COUNT)).singleElement()
                .satisfies(i -> assertThat(i.path("details").path("totalTasks").asLong()).isEqualTo(SSE_S3));
    }
}
