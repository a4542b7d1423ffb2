package dev.atrest.backfill;

import java.util.Map;

/**
 * One CreateJob atrest is about to make, in plain terms; {@link S3ControlGateway} turns it into the SDK request.
 *
 * @param token the ClientRequestToken: the same start (or the same retry) always makes the same token, so a repeated
 *     invocation gets the job it already created instead of a second one
 * @param manifest the CSV manifest of a retry job; null for the generated manifests of the bucket jobs
 */
public record NewJob(JobKind kind, String bucket, boolean dryRun, String token, String description,
        Map<String, String> tags, String retryOf, ManifestFile manifest) {

    public NewJob {
        tags = Map.copyOf(tags);
    }

    /** A manifest object atrest wrote: the job reads exactly this version of it (its ETag). */
    public record ManifestFile(String bucket, String key, String etag) {}
}
