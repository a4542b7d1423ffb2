package dev.atrest.backfill;

import static dev.atrest.backfill.BackfillFixture.ACCOUNT;
import static dev.atrest.backfill.BackfillFixture.items;
import static dev.atrest.backfill.BackfillFixture.jobOf;
import static dev.atrest.backfill.BackfillFixture.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.MalformedEventException;
import dev.atrest.core.lambda.RetryableFailureException;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.EventFiles;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3control.model.S3Tag;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Job events atrest must leave alone, events it cannot read, jobs that failed or were cancelled, the SNS summary. */
@ExtendWith(EmulatorExtension.class)
class JobEventsEmulatorTest {
    static final String BUCKET = "atrest-backfill-events";

    private BackfillFixture f;
    private S3BackfillHandler handler;

    @BeforeEach
    void setUp(Emulator emulator) {
        f = new BackfillFixture(emulator, BUCKET);
        f.seed(BUCKET, "k", 3, true);
        handler = f.handler(f.config(false, BUCKET));
    }

    @AfterEach
    void close() {
        f.close();
    }

    /** A job someone else made on the same bucket: same operation, no atrest tags. */
    private String foreignJob(List<S3Tag> tags, String description) {
        return f.control.createJob(b -> b.accountId(ACCOUNT).clientRequestToken("someone-else-" + java.util.UUID.randomUUID())
                .confirmationRequired(false).priority(1).roleArn(BackfillFixture.ROLE).description(description)
                .tags(tags)
                .operation(o -> o.s3UpdateObjectEncryption(u -> u.objectEncryption(e -> e.ssekms(k -> k
                        .kmsKeyArn(f.keyArn)))))
                .report(r -> r.enabled(false))
                .manifestGenerator(g -> g.s3JobManifestGenerator(m -> m.sourceBucket("arn:aws:s3:::" + BUCKET)
                        .enableManifestOutput(false)))).jobId();
    }

    @Test
    void eventsOfJobsWithoutAtrestTagsAreIgnored() {
        String untagged = foreignJob(List.of(), "atrest backfill sse-s3 s3://" + BUCKET);
        String mistagged = foreignJob(List.of(S3Tag.builder().key(JobTags.KIND).value("sse-s3").build()),
                "someone's job");
        List<JsonNode> summaries = f.deliver(handler);
        assertThat(summaries).isNotEmpty();
        assertThat(items(summaries, BackfillService.IGNORE_EVENT))
                .extracting(i -> i.path("details").path("jobId").asText()).containsOnly(untagged, mistagged);
        assertThat(summaries).allSatisfy(s -> assertThat(s.path("items")).allSatisfy(i -> assertThat(
                i.path("action").asText()).isEqualTo(BackfillService.IGNORE_EVENT)));
        assertThat(f.emulator.count("s3control", "DescribeJob")).isZero();

        // Nor do they count as atrest's running job: a start still creates atrest's own.
        f.mode("manual");
        String third = foreignJob(List.of(S3Tag.builder().key("team").value("x").build()),
                "atrest backfill sse-s3 s3://" + BUCKET);
        assertThat(third).isNotBlank();
        assertThat(items(f.invoke(handler, start(BUCKET)), BackfillService.START_JOB)).hasSize(2);
    }

    @Test
    void eventsForAnotherAccountOrRegionAreIgnoredWithoutACall() {
        String sample = EventFiles.text("backfill-job-status-changed.json");
        f.emulator.clearRequests();
        JsonNode otherAccount = f.invoke(handler, sample.replace("\"account\": \"123456789012\"",
                "\"account\": \"210987654321\""));
        JsonNode otherRegion = f.invoke(handler, sample.replace("\"awsRegion\": \"us-east-1\"",
                "\"awsRegion\": \"eu-west-1\""));
        assertThat(items(otherAccount, BackfillService.IGNORE_EVENT)).singleElement()
                .satisfies(i -> assertThat(i.path("reason").asText()).contains("another account"));
        assertThat(items(otherRegion, BackfillService.IGNORE_EVENT)).singleElement()
                .satisfies(i -> assertThat(i.path("reason").asText()).contains("another region"));
        assertThat(f.emulator.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[1, 2]",
        "{}",
        "{\"buckets\": []}",
        "{\"buckets\": [42]}",
        "{\"buckets\": \"everything\"}",
        "{\"jobs\": [\"../../etc\"]}",
        "{\"buckets\": [\"a\"], \"jobs\": [\"abcdef\"]}",
        "{\"detail-type\": \"AWS Service Event via CloudTrail\", \"source\": \"aws.s3\", \"detail\": "
                + "{\"eventSource\": \"s3.amazonaws.com\", \"eventName\": \"JobStatusChanged\", "
                + "\"serviceEventDetails\": {\"status\": \"Complete\"}}}",
        "{\"detail-type\": \"Object Created\", \"source\": \"aws.s3\", \"detail\": {}}",
        "{\"detail-type\": \"Scheduled Event\", \"source\": \"atrest.scheduler\", \"detail\": {\"task\": \"rotation-sweep\"}}",
    })
    void malformedEventsFailBeforeAnyCall(String event) {
        f.emulator.clearRequests();
        assertThatThrownBy(() -> f.invoke(handler, event)).isInstanceOf(MalformedEventException.class);
        assertThat(f.emulator.requests()).isEmpty();
    }

    @Test
    void aFailedJobIsReportedWithItsReasonsAndNothingIsRetried() {
        f.mode("manual");
        JsonNode started = f.invoke(handler, start(BUCKET));
        String sseJob = jobOf(started, JobKind.SSE_S3);
        f.emulator.post("/_atrest/s3control/jobs/" + sseJob + "/fail",
                "{\"code\": \"AccessDenied\", \"reason\": \"Access denied on s3://" + BUCKET + "\"}");
        f.step(sseJob, "run");
        String cancelled = jobOf(started, JobKind.NOT_SSE);
        f.control.updateJobStatus(b -> b.accountId(ACCOUNT).jobId(cancelled).requestedJobStatus("Cancelled")
                .statusUpdateReason("not now"));
        f.step(cancelled, "run");

        List<JsonNode> reports = f.deliver(handler);
        List<JsonNode> finished = items(reports, BackfillService.JOB_FINISHED);
        assertThat(finished).extracting(i -> i.path("details").path("kind").asText() + ":" + i.path("outcome").asText())
                .containsExactlyInAnyOrder("sse-s3:FAILED", "not-sse:SKIPPED");
        assertThat(finished).anySatisfy(i -> assertThat(i.path("reason").asText()).contains("AccessDenied",
                "nothing retried"));
        assertThat(finished).anySatisfy(i -> assertThat(i.path("reason").asText()).contains("cancelled", "not now"));
        assertThat(items(reports, BackfillService.RETRY_JOB)).isEmpty();
    }

    @Test
    void aThrottledS3ControlFailsTheInvocationSoLambdaRetriesIt() {
        f.emulator.post("/_atrest/faults", "{\"rules\": [{\"service\": \"s3control\", \"operation\": \"ListJobs\", "
                + "\"count\": -1, \"status\": 503, \"code\": \"SlowDown\"}]}");
        assertThatThrownBy(() -> f.invoke(handler, start(BUCKET))).isInstanceOf(RetryableFailureException.class);
        assertThat(f.emulator.count("s3control", "CreateJob")).isZero();
    }

    @Test
    void aTopicGetsOneSummaryWhenThereIsSomethingToTell() {
        SnsClient sns = f.clients.client("sns", SnsClient::builder);
        SqsClient sqs = f.clients.client("sqs", SqsClient::builder);
        String topic = sns.createTopic(b -> b.name("atrest-findings")).topicArn();
        String queue = sqs.createQueue(b -> b.queueName("inbox")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn)
                .attributes(java.util.Map.of("RawMessageDelivery", "true")));
        S3BackfillHandler told = f.handler(f.config(true, BUCKET).withTopic(topic));

        f.invoke(told, start(BUCKET));
        f.deliver(told);
        f.invoke(told, "{\"jobs\": [\"" + foreignJob(List.of(), "x") + "\"]}");

        List<String> bodies = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)).messages().stream()
                .map(m -> m.body()).toList();
        // The start, then one message per dry-run count; the ignored job sent nothing.
        assertThat(bodies).hasSize(3);
        assertThat(bodies).allSatisfy(body -> assertThat(EventFiles.json(body).path("source").asText())
                .isEqualTo("s3-backfill"));
        assertThat(String.join("\n", bodies)).contains("DRY_RUN_COUNT", "START_JOB").doesNotContain("IGNORE_EVENT");
    }
}
