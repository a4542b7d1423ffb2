package dev.atrest.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureGroupsTest {

    static FailedTask row(String bucket, String key, String status, String code, String message) {
        return new FailedTask(bucket, key, null, "failed", status, code, message);
    }

    @Test
    void countsEveryRowKeepsFewSamplesAndEachRetryableKeyOnce() {
        FailureGroups g = new FailureGroups("data", false, true);
        for (int i = 0; i < 12; i++) {
            g.add(row("data", "slow/" + (i % 10), "503", "SlowDown", "slow down"));
        }
        g.add(row("data", "locked", "403", "AccessDenied", "protected by S3 Object Lock"));
        g.add(row("other-bucket", "x", "503", "SlowDown", "slow down"));

        assertThat(g.groups().get(FailureReason.RETRYABLE).count()).isEqualTo(12);
        assertThat(g.groups().get(FailureReason.RETRYABLE).samples()).hasSize(FailureGroups.SAMPLES);
        assertThat(g.groups().get(FailureReason.OBJECT_LOCK).count()).isEqualTo(1);
        assertThat(g.retries()).hasSize(10);
        assertThat(g.otherBucket()).isEqualTo(1);
        assertThat(g.total()).isEqualTo(13);
    }

    @Test
    void nothingIsKeptForRetryWhenTheJobMayNotBeRetried() {
        FailureGroups g = new FailureGroups("data", true, false);
        g.add(row("data", "k", "200", "PermanentFailure", "Lambda returned function error: boom"));
        assertThat(g.groups()).containsOnlyKeys(FailureReason.RETRYABLE);
        assertThat(g.retries()).isEmpty();
    }

    @Test
    void hostileReportTextIsBoundedInSamples() {
        FailureGroups g = new FailureGroups("data", false, true);
        g.add(row("data", "k\u202e" + "x".repeat(5000), "400", "X\nforged: line", "m".repeat(10_000)));
        String sample = g.groups().get(FailureReason.OTHER).samples().get(0);
        assertThat(sample).hasSizeLessThan(600).doesNotContain("\n", "\u202e");
    }
}
