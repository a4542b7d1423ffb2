package dev.atrest.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.backfill.JobStatusPolicy.Next;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobStatusPolicyTest {

    static JobState state(String status, Long total, boolean confirmationRequired) {
        return new JobState("j", status, total, 0, 0, Instant.EPOCH, null, null, List.of(), "r", "p", true,
                "S3UpdateObjectEncryption", null, null, confirmationRequired);
    }

    @ParameterizedTest(name = "{0} {1} dryRun={2} event={4} -> {5}")
    @CsvSource(nullValues = "-", value = {
        // kind,   status,     dryRun, total, eventStatus, next,          retries, foundNothing
        "sse-s3,   New,        false,  -,     New,         PROGRESS,      false,   false",
        "sse-s3,   Preparing,  true,   -,     -,           PROGRESS,      false,   false",
        "sse-s3,   Suspended,  true,   120,   Suspended,   DRY_RUN_COUNT, false,   false",
        "sse-s3,   Suspended,  true,   0,     Suspended,   DRY_RUN_COUNT, false,   true",
        "not-sse,  Suspended,  true,   0,     -,           DRY_RUN_COUNT, false,   true",
        "sse-s3,   Active,     false,  120,   Active,      PROGRESS,      false,   false",
        "sse-s3,   Complete,   false,  120,   Complete,    FINISHED,      true,    false",
        "sse-s3,   Complete,   false,  0,     Complete,    FINISHED,      true,    true",
        "not-sse,  Complete,   false,  4,     -,           FINISHED,      true,    false",
        "retry,    Complete,   false,  0,     Complete,    FINISHED,      false,   false",
        "retry,    Complete,   false,  3,     Complete,    FINISHED,      false,   false",
        "sse-s3,   Failed,     false,  120,   Failed,      FINISHED,      false,   false",
        "sse-s3,   Cancelled,  false,  120,   Cancelled,   FINISHED,      false,   false",
        "sse-s3,   Complete,   false,  120,   Active,      STALE,         true,    false",
        "sse-s3,   Suspended,  true,   120,   Preparing,   STALE,         false,   false",
        "sse-s3,   Paused,     false,  120,   Paused,      PROGRESS,      false,   false",
        "sse-s3,   Failing,    false,  120,   Active,      PROGRESS,      false,   false",
    })
    void next(String kind, String status, boolean dryRun, Long total, String eventStatus, Next next,
            boolean retries, boolean foundNothing) {
        AtrestJob job = new AtrestJob("j", JobKind.fromTag(kind).orElseThrow(), "b", dryRun,
                "retry".equals(kind) ? "parent" : null);
        JobState state = state(status, total, dryRun);
        assertThat(JobStatusPolicy.next(job, state, eventStatus)).isEqualTo(next);
        assertThat(JobStatusPolicy.retries(job, state)).isEqualTo(retries);
        assertThat(JobStatusPolicy.foundNothing(job, state)).isEqualTo(foundNothing);
        assertThat(JobStatusPolicy.cancelEmpty(job, state))
                .isEqualTo(foundNothing && dryRun && "Suspended".equals(status));
    }

    @ParameterizedTest(name = "cancelled dry run with {0} tasks: found nothing {1}")
    @CsvSource({"0, true", "3, false"})
    void anEmptyDryRunJobCancelledByAtrestStillSaysConverged(long total, boolean foundNothing) {
        AtrestJob job = new AtrestJob("j", JobKind.SSE_S3, "b", true, null);
        assertThat(JobStatusPolicy.foundNothing(job, state("Cancelled", total, true))).isEqualTo(foundNothing);
        assertThat(JobStatusPolicy.cancelEmpty(job, state("Cancelled", total, true))).isFalse();
    }

    @ParameterizedTest(name = "suspended by S3 for another cause, confirmation required={0}")
    @CsvSource({"true, DRY_RUN_COUNT", "false, PROGRESS"})
    void aRealJobSuspendedByS3IsProgressUnlessItAskedForConfirmation(boolean confirmationRequired, Next next) {
        AtrestJob job = new AtrestJob("j", JobKind.SSE_S3, "b", false, null);
        assertThat(JobStatusPolicy.next(job, state("Suspended", 5L, confirmationRequired), null)).isEqualTo(next);
    }
}
