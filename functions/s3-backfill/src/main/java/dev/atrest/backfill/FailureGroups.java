package dev.atrest.backfill;

import static dev.atrest.core.json.UntrustedText.abbreviate;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished job's failed tasks, grouped by {@link FailureReason}: counts, a few samples (bounded, neutralised text
 * from the report), and the tasks to send once through the S3 function. Memory is bounded whatever the report's
 * size: at most {@link #MAX_RETRIES} tasks are kept for the retry; the rest are counted, and a new start of the
 * backfill lists them again.
 */
public final class FailureGroups {
    public static final int SAMPLES = 5;
    public static final int MAX_RETRIES = 100_000;

    /** One reason's failures. */
    public static final class Group {
        private long count;
        private final List<String> samples = new ArrayList<>();

        public long count() {
            return count;
        }

        public List<String> samples() {
            return List.copyOf(samples);
        }
    }

    private final String bucket;
    private final boolean lambdaPath;
    private final boolean retryAllowed;
    private final Map<FailureReason, Group> groups = new EnumMap<>(FailureReason.class);
    private final Map<String, FailedTask> retries = new LinkedHashMap<>();
    private long overRetryLimit;
    private long otherBucket;

    /**
     * @param bucket the job's bucket (its tag): a row naming another bucket is counted and never acted on
     * @param lambdaPath the job invoked the S3 function (its rows carry the function's result strings)
     * @param retryAllowed the job may have its retryable tasks sent once through the S3 function
     */
    public FailureGroups(String bucket, boolean lambdaPath, boolean retryAllowed) {
        this.bucket = bucket;
        this.lambdaPath = lambdaPath;
        this.retryAllowed = retryAllowed;
    }

    public void add(FailedTask task) {
        if (!bucket.equals(task.bucket())) {
            otherBucket++;
            return;
        }
        FailureReason reason = FailureClassifier.classify(lambdaPath, task);
        Group g = groups.computeIfAbsent(reason, r -> new Group());
        g.count++;
        if (g.samples.size() < SAMPLES) {
            g.samples.add(abbreviate(task.resource()) + " (" + abbreviate(task.httpStatus()) + " "
                    + abbreviate(task.errorCode()) + ": " + abbreviate(task.message()) + ")");
        }
        if (retryAllowed && reason.disposition() == FailureReason.Disposition.LAMBDA_PATH) {
            // Keys only: the S3 function acts on the current version and re-reads it first.
            if (!retries.containsKey(task.key())) {
                if (retries.size() < MAX_RETRIES) {
                    retries.put(task.key(), task);
                } else {
                    overRetryLimit++;
                }
            }
        }
    }

    public Map<FailureReason, Group> groups() {
        return java.util.Collections.unmodifiableMap(groups);
    }

    public long total() {
        return groups.values().stream().mapToLong(Group::count).sum();
    }

    /** The tasks to retry once, each key once, in report order. */
    public List<FailedTask> retries() {
        return List.copyOf(retries.values());
    }

    public long overRetryLimit() {
        return overRetryLimit;
    }

    /** Rows naming a bucket other than the job's: never acted on. */
    public long otherBucket() {
        return otherBucket;
    }
}
