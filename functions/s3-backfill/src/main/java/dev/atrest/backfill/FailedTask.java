package dev.atrest.backfill;

/**
 * One row of a completion report's failed tasks. Columns as in S3's documented report examples ("Examples: S3 Batch
 * Operations completion reports", e.g. {@code awsexamplebucket1,image_14975,,failed,200,PermanentFailure,"Lambda
 * returned function error: ..."}): Bucket, Key (URL-encoded), VersionId, TaskStatus, then the HTTP status code, the
 * error code and the result message. (The report's ReportSchema line names ErrorCode before HTTPStatusCode; the
 * rows of the examples have them the other way round, and atrest reads the rows.)
 *
 * @param key the decoded key
 */
public record FailedTask(String bucket, String key, String versionId, String taskStatus, String httpStatus,
        String errorCode, String message) {

    /** bucket/key@version, as the summaries name objects. */
    public String resource() {
        return bucket + "/" + key + (versionId != null ? "@" + versionId : "");
    }
}
