package dev.atrest.backfill;

/** A job as ListJobs shows it (no tags there: atrest reads them separately for the jobs that look like its own). */
public record ListedJob(String jobId, String description, String status, Long totalTasks, long succeeded,
        long failed) {}
