package dev.atrest.backfill;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A job as DescribeJob shows it, reduced to what atrest acts on.
 *
 * @param totalTasks known once S3 has prepared the manifest; null before
 * @param failures the job's FailureReasons as "code: reason" (a job that failed as a whole)
 * @param reportBucket the completion report's bucket name (from its ARN); null when reports are off
 */
public record JobState(String jobId, String status, Long totalTasks, long succeeded, long failed, Instant created,
        Instant terminated, Long activeSeconds, List<String> failures, String reportBucket, String reportPrefix,
        boolean reportEnabled, String operation, String statusUpdateReason, String suspendedCause,
        boolean confirmationRequired) {

    public JobState {
        failures = failures == null ? List.of() : List.copyOf(failures);
    }

    /** From creation to the end (or to now, for a job still running); null without a creation time. */
    public Long durationSeconds(Instant now) {
        if (created == null) {
            return null;
        }
        return Duration.between(created, terminated != null ? terminated : now).toSeconds();
    }
}
