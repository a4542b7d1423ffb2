package dev.atrest.backfill;

/**
 * A Batch Operations job atrest created, as its tags say.
 *
 * @param dryRun created with confirmation required: atrest never confirms it
 * @param retryOf the job whose failed tasks this one retries (retry jobs only)
 */
public record AtrestJob(String jobId, JobKind kind, String bucket, boolean dryRun, String retryOf) {}
