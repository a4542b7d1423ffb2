package dev.atrest.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.summary.ItemResult;
import dev.atrest.core.summary.ItemResult.Outcome;
import dev.atrest.core.summary.RunSummary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackfillNoticeTest {

    static RunSummary summary(boolean dryRun, String... actions) {
        RunSummary s = new RunSummary(BackfillService.FUNCTION, "manual:all", dryRun);
        for (String a : actions) {
            s.add(new ItemResult("job/j", a, Outcome.CHANGED, "r", Map.of("bucket", "data")));
        }
        return s.finish();
    }

    @Test
    void onlyRunsWithSomethingForAPersonAreTold() {
        assertThat(BackfillNotice.worthTelling(summary(false, BackfillService.IGNORE_EVENT,
                BackfillService.JOB_PROGRESS))).isFalse();
        assertThat(BackfillNotice.worthTelling(summary(false, BackfillService.JOB_PROGRESS,
                BackfillService.JOB_FINISHED))).isTrue();
    }

    @Test
    void subjectIsShortAsciiAndCountsWhatHappened() {
        String subject = BackfillNotice.subject(summary(true, BackfillService.START_JOB, BackfillService.START_JOB,
                BackfillService.ALREADY_ACTIVE, BackfillService.IGNORE_EVENT));
        assertThat(subject).isEqualTo("atrest s3-backfill (dry run): 2 start job, 1 already active");
        String many = BackfillNotice.subject(summary(false, BackfillService.START_JOB, BackfillService.DRY_RUN_COUNT,
                BackfillService.CONVERGED, BackfillService.JOB_FINISHED, BackfillService.FAILED_TASKS,
                BackfillService.RETRY_JOB, BackfillService.REPORT_UNUSABLE, BackfillService.ALREADY_ACTIVE));
        assertThat(many).hasSizeLessThanOrEqualTo(100).matches("\\p{ASCII}+");
    }

    @Test
    void bodyCarriesTheNotableItemsOnlyAndIsBoundedByItemCount() {
        String[] actions = new String[BackfillNotice.MAX_ITEMS + 7];
        java.util.Arrays.fill(actions, BackfillService.START_JOB);
        Map<String, Object> body = BackfillNotice.body(summary(false, actions));
        assertThat((List<?>) body.get("items")).hasSize(BackfillNotice.MAX_ITEMS);
        assertThat(body).containsEntry("moreItems", 7).containsEntry("source", "s3-backfill");
        Map<String, Object> quiet = BackfillNotice.body(summary(false, BackfillService.IGNORE_EVENT));
        assertThat((List<?>) quiet.get("items")).isEmpty();
    }

    /** Completion reports carry object keys and S3's messages: a hostile key does not stop the notice. */
    @Test
    void aHostileKeyInTheReportStillFitsOneNeutralisedMessage() throws Exception {
        String key = "\u202e<img src=x onerror=alert(1)>\u0000" + "k".repeat(300_000);
        RunSummary s = new RunSummary(BackfillService.FUNCTION, "job", false);
        for (int i = 0; i < 300; i++) {
            s.add(new ItemResult("s3://data/" + key, BackfillService.FAILED_TASKS, Outcome.FAILED, key,
                    Map.of("sample", key)));
        }
        String message = dev.atrest.core.findings.SnsMessage.message(BackfillNotice.body(s.finish()));
        assertThat(message.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(dev.atrest.core.findings.SnsMessage.MAX_MESSAGE_BYTES);
        assertThat(message).matches("[\\x20-\\x7E]*").doesNotContain("<img");
        var read = dev.atrest.core.json.Json.MAPPER.readTree(message);
        assertThat(read.path("source").asText()).isEqualTo("s3-backfill");
        assertThat(read.path("items").get(0).path("reason").asText()).startsWith("\\u202e<img")
                .contains("(" + key.length() + " chars)");
    }
}
