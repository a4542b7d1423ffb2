package dev.atrest.backfill;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Whether a start creates jobs for a bucket (pure). */
public final class StartPlan {
    public enum Step {
        /** The bucket is not one of the watched buckets: never touched. */
        NOT_CONFIGURED,
        /** The bucket lives in another region than the function, its target key and its Lambda path. */
        OTHER_REGION,
        /** An atrest job for the bucket has not ended: it is reported, nothing new starts. */
        ALREADY_ACTIVE,
        START
    }

    /** A job of atrest's that has not ended. */
    public record ActiveJob(AtrestJob job, ListedJob listed) {}

    public record Decision(Step step, String reason, List<ActiveJob> active) {
        public Decision {
            active = List.copyOf(active);
        }
    }

    private StartPlan() {}

    /**
     * @param bucketRegion where the bucket is (null when not yet known: only a configured bucket's is read)
     * @param active atrest's unfinished jobs for this bucket
     */
    public static Decision decide(String bucket, Set<String> configured, String bucketRegion, String homeRegion,
            List<ActiveJob> active) {
        if (!configured.contains(bucket)) {
            return new Decision(Step.NOT_CONFIGURED, "not one of the watched buckets (BucketNames): never touched",
                    List.of());
        }
        if (bucketRegion != null && !bucketRegion.equals(homeRegion)) {
            return new Decision(Step.OTHER_REGION, "the bucket is in " + bucketRegion + "; a job must run in the "
                    + "bucket's region with a key of that region: deploy atrest in " + bucketRegion + " for it",
                    List.of());
        }
        if (!active.isEmpty()) {
            String jobs = active.stream().map(StartPlan::describe).collect(Collectors.joining("; "));
            return new Decision(Step.ALREADY_ACTIVE, "an atrest job for this bucket has not ended, nothing new "
                    + "started: " + jobs, active);
        }
        return new Decision(Step.START, "no atrest job is running for this bucket", List.of());
    }

    static String describe(ActiveJob a) {
        ListedJob l = a.listed();
        String progress = l.totalTasks() == null ? "" : ", " + (l.succeeded() + l.failed()) + " of " + l.totalTasks()
                + " tasks done";
        String waiting = "Suspended".equals(l.status()) && a.job().dryRun()
                ? " (dry run: waits for confirmation" + (l.totalTasks() == null ? "" : ", " + l.totalTasks()
                        + " objects") + "; atrest never confirms it)" : "";
        return a.job().kind().tag() + " job " + l.jobId() + " is " + l.status() + progress + waiting;
    }
}
