package dev.atrest.backfill;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How atrest marks its jobs, and how it recognises them: events and listings of jobs without these tags (or with
 * values atrest never writes) are not atrest's and are left alone. Values use only the characters job tags allow.
 */
public final class JobTags {
    public static final String KIND = "atrest:backfill";
    public static final String BUCKET = "atrest:bucket";
    public static final String DRY_RUN = "atrest:dry-run";
    public static final String RETRY_OF = "atrest:retry-of";
    /** The start of every atrest job's description: ListJobs shows descriptions, not tags. */
    public static final String DESCRIPTION_PREFIX = "atrest backfill ";

    private JobTags() {}

    public static Map<String, String> of(JobKind kind, String bucket, boolean dryRun, String retryOf) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(KIND, kind.tag());
        tags.put(BUCKET, bucket);
        tags.put(DRY_RUN, Boolean.toString(dryRun));
        if (retryOf != null) {
            tags.put(RETRY_OF, retryOf);
        }
        return tags;
    }

    public static String description(JobKind kind, String bucket, String retryOf) {
        return DESCRIPTION_PREFIX + kind.tag() + " s3://" + bucket + (retryOf != null ? " retry of " + retryOf : "");
    }

    /** The job as atrest created it, or empty when the tags are not atrest's. */
    public static Optional<AtrestJob> read(String jobId, Map<String, String> tags) {
        Optional<JobKind> kind = JobKind.fromTag(tags.get(KIND));
        String bucket = tags.get(BUCKET);
        String dryRun = tags.get(DRY_RUN);
        if (kind.isEmpty() || bucket == null || !BackfillConfig.BUCKET_NAME.matcher(bucket).matches()
                || !("true".equals(dryRun) || "false".equals(dryRun))) {
            return Optional.empty();
        }
        String retryOf = tags.get(RETRY_OF);
        if (kind.get() == JobKind.RETRY && (retryOf == null || !TriggerParser.JOB_ID.matcher(retryOf).matches())) {
            return Optional.empty();
        }
        return Optional.of(new AtrestJob(jobId, kind.get(), bucket, Boolean.parseBoolean(dryRun),
                kind.get() == JobKind.RETRY ? retryOf : null));
    }
}
