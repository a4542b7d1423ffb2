package dev.atrest.backfill;

import java.util.Set;

/** What a job's status asks of atrest (pure). The status is DescribeJob's, read after the event arrived. */
public final class JobStatusPolicy {
    public enum Next {
        /** Still going (or waiting for someone else): report where it is. */
        PROGRESS,
        /** A dry-run job prepared its manifest and waits: report how many objects it would re-encrypt. */
        DRY_RUN_COUNT,
        /** Ended: read its completion report, group the failures, retry what may pass once, report. */
        FINISHED,
        /**
         * The event is older than the job's state (an Active event read after the job ended): the event of the state
         * the job is in reports it, so this one only notes the job's status.
         */
        STALE
    }

    public static final Set<String> TERMINAL = Set.of("Complete", "Failed", "Cancelled");
    /** Every status ListJobs may show a job in before it ends. */
    public static final Set<String> ACTIVE = Set.of("New", "Preparing", "Suspended", "Ready", "Active", "Pausing",
            "Paused", "Completing", "Failing", "Cancelling");

    private JobStatusPolicy() {}

    /**
     * @param eventStatus the status the event carried; null when a person asked to look at the job (then its state
     *     is reported whatever it is)
     */
    public static Next next(AtrestJob job, JobState state, String eventStatus) {
        Next next = next(job, state);
        boolean current = eventStatus == null || eventStatus.equals(state.status());
        return (next == Next.FINISHED || next == Next.DRY_RUN_COUNT) && !current ? Next.STALE : next;
    }

    static Next next(AtrestJob job, JobState state) {
        if (TERMINAL.contains(state.status())) {
            return Next.FINISHED;
        }
        if ("Suspended".equals(state.status()) && (job.dryRun() || state.confirmationRequired())) {
            return Next.DRY_RUN_COUNT;
        }
        return Next.PROGRESS;
    }

    /**
     * Retryable failures go to the S3 function once: only after a job that completed (a failed or cancelled job is
     * reported as it is, for a person to look at) and never after a retry job (that was the once).
     */
    public static boolean retries(AtrestJob job, JobState state) {
        return "Complete".equals(state.status()) && job.kind() != JobKind.RETRY;
    }

    /**
     * A job of a filter that found no object at all: the bucket holds nothing of that kind, which is how atrest
     * tells convergence (a new filtered job would find zero tasks). Retry jobs have fixed manifests: never.
     */
    public static boolean foundNothing(AtrestJob job, JobState state) {
        return job.kind() != JobKind.RETRY && state.totalTasks() != null && state.totalTasks() == 0
                && ("Complete".equals(state.status()) || next(job, state) == Next.DRY_RUN_COUNT
                        || job.dryRun() && "Cancelled".equals(state.status()));
    }

    /**
     * A dry-run job that found nothing has nothing to confirm: atrest cancels it, so that an empty job never stands
     * in the way of the next start. One with tasks waits for a person (atrest never confirms, nor cancels, it).
     */
    public static boolean cancelEmpty(AtrestJob job, JobState state) {
        return job.dryRun() && "Suspended".equals(state.status()) && foundNothing(job, state);
    }
}
