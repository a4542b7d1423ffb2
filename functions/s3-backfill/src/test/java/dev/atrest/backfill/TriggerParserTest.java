package dev.atrest.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.core.json.MalformedEventException;
import dev.atrest.testing.EventFiles;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TriggerParserTest {

    private static BackfillTrigger parse(String json) {
        return TriggerParser.parse(EventFiles.json(json));
    }

    @Test
    void sampleEventsParseToTheirTriggers() {
        BackfillTrigger start = TriggerParser.parse(EventFiles.json(EventFiles.text("backfill-start.json")));
        assertThat(start.kind()).isEqualTo(BackfillTrigger.Kind.START);
        assertThat(start.buckets()).containsExactly("atrest-demo-bucket");
        assertThat(start.startId()).isNull();

        BackfillTrigger schedule = TriggerParser.parse(EventFiles.json(EventFiles.text("backfill-schedule.json")));
        assertThat(schedule.kind()).isEqualTo(BackfillTrigger.Kind.START);
        assertThat(schedule.buckets()).isNull();
        assertThat(schedule.startId()).isEqualTo("2026-11-28T03:00:00Z");

        BackfillTrigger job = TriggerParser.parse(EventFiles.json(EventFiles.text("backfill-job-status-changed.json")));
        assertThat(job.kind()).isEqualTo(BackfillTrigger.Kind.JOB_EVENT);
        assertThat(job.event().jobId()).isEqualTo("d6e58ec4-897a-4b6d-975f-10d7f0fb63ce");
        assertThat(job.event().status()).isEqualTo("Complete");
        assertThat(job.event().account()).isEqualTo("123456789012");
        assertThat(job.event().region()).isEqualTo("us-east-1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"buckets\": \"all\"}                              | START    | manual:all",
        "{\"buckets\": [\"a-b\", \"a-b\", \"UPPER\"]}          | START    | manual:buckets",
        "{\"jobs\": [\"d6e58ec4-897a-4b6d-975f-10d7f0fb63ce\"]} | WATCH    | manual:jobs",
        "{\"detail-type\": \"Scheduled Event\", \"detail\": {\"task\": \"s3-backfill\"}, \"id\": \"e1\"} | START | schedule",
    })
    void manualAndScheduledShapes(String json, BackfillTrigger.Kind kind, String label) {
        BackfillTrigger t = parse(json);
        assertThat(t.kind()).isEqualTo(kind);
        assertThat(t.label()).isEqualTo(label);
    }

    @Test
    void bucketNamesAreKeptAsGivenForTheServiceToCheckAgainstTheConfiguredSet() {
        assertThat(parse("{\"buckets\": [\"a-b\", \"UPPER\"]}").buckets()).containsExactly("a-b", "UPPER");
    }

    @Test
    void aScheduleWithoutItsTimeFallsBackToTheEventIdNeverToAPlaceholder() {
        assertThat(parse("{\"detail-type\": \"Scheduled Event\", \"id\": \"e1\", \"detail\": {\"task\": \"s3-backfill\", "
                + "\"scheduledTime\": \"<aws.scheduler.scheduled-time>\"}}").startId()).isEqualTo("e1");
    }

    @Test
    void jobCreatedIsAJobEventTheServiceIgnores() {
        String created = EventFiles.text("backfill-job-status-changed.json").replace("JobStatusChanged", "JobCreated");
        assertThat(parse(created).event().eventName()).isEqualTo("JobCreated");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[]                                             | not a JSON object",
        "{}                                             | unknown event",
        "{\"buckets\": []}                              | non-empty array",
        "{\"buckets\": \"*\"}                           | non-empty array of strings or \"all\"",
        "{\"buckets\": [\"\"]}                          | not a non-empty string",
        "{\"buckets\": [null]}                          | not a non-empty string",
        "{\"jobs\": [\"a\"]}                            | not a Batch Operations job id",
        "{\"jobs\": \"abcdef\"}                         | non-empty array",
        "{\"buckets\": \"all\", \"jobs\": [\"abcdef\"]} | not both",
        "{\"detail-type\": \"Scheduled Event\", \"detail\": {\"task\": \"storage-audit\"}} | not s3-backfill",
        "{\"detail-type\": \"Scheduled Event\"}         | detail is missing",
        "{\"detail-type\": \"AWS API Call via CloudTrail\", \"source\": \"aws.s3\", \"detail\": {}} | neither",
        "{\"detail-type\": \"AWS Service Event via CloudTrail\", \"source\": \"aws.s3\", \"detail\": {\"eventSource\": \"kms.amazonaws.com\"}} | not s3.amazonaws.com",
        "{\"detail-type\": \"AWS Service Event via CloudTrail\", \"source\": \"aws.s3\", \"detail\": {\"eventSource\": \"s3.amazonaws.com\", \"eventName\": \"PutObject\"}} | not a Batch Operations job event",
        "{\"detail-type\": \"AWS Service Event via CloudTrail\", \"source\": \"aws.s3\", \"detail\": {\"eventSource\": \"s3.amazonaws.com\", \"eventName\": \"JobStatusChanged\", \"serviceEventDetails\": {\"jobId\": 7}}} | is not a Batch Operations job id",
    })
    void malformed(String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(MalformedEventException.class).hasMessageContaining(message);
    }

    @Test
    void aHugeListIsRefusedAndHostileTextIsBoundedInTheMessage() {
        String many = "{\"buckets\": [" + String.join(",", java.util.Collections.nCopies(1001, "\"b\"")) + "]}";
        assertThatThrownBy(() -> parse(many)).isInstanceOf(MalformedEventException.class).hasMessageContaining("1001");
        String hostile = "{\"jobs\": [\"" + "x\\n".repeat(5000) + "\"]}";
        assertThatThrownBy(() -> parse(hostile)).isInstanceOf(MalformedEventException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400).doesNotContain("\n"));
        assertThat(List.of(TriggerParser.MAX_NAMES)).containsExactly(1000);
    }
}
