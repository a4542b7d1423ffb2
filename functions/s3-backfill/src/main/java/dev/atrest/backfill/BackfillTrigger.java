package dev.atrest.backfill;

import java.util.List;

/**
 * What an invocation asks for.
 *
 * @param buckets START: the buckets named (null: every configured bucket)
 * @param jobIds WATCH: jobs to look at as if their status had just changed
 * @param startId START: what makes a repeated start of the same request the same (the schedule's time); null for a
 *     manual invocation, whose Lambda request id (kept by Lambda's own retries) is used
 * @param event JOB_EVENT: the job status change
 */
public record BackfillTrigger(Kind kind, String label, List<String> buckets, List<String> jobIds, String startId,
        JobEvent event) {

    public enum Kind { START, WATCH, JOB_EVENT }

    /**
     * A CloudTrail record of a Batch Operations job (JobCreated, JobStatusChanged) as EventBridge delivers it.
     *
     * @param account the envelope's account; {@code region} the record's awsRegion (else the envelope's)
     */
    public record JobEvent(String eventId, String eventName, String account, String region, String jobId,
            String jobArn, String status) {}

    public BackfillTrigger {
        buckets = buckets == null ? null : List.copyOf(buckets);
        jobIds = jobIds == null ? List.of() : List.copyOf(jobIds);
    }

    static BackfillTrigger start(String label, List<String> buckets, String startId) {
        return new BackfillTrigger(Kind.START, label, buckets, null, startId, null);
    }

    static BackfillTrigger watch(List<String> jobIds) {
        return new BackfillTrigger(Kind.WATCH, "manual:jobs", null, jobIds, null, null);
    }

    static BackfillTrigger jobEvent(JobEvent event) {
        return new BackfillTrigger(Kind.JOB_EVENT, "aws.s3:" + event.eventName(), null, null, null, event);
    }
}
