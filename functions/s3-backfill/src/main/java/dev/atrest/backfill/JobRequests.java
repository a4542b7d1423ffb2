package dev.atrest.backfill;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The jobs atrest creates, decided here and nowhere else (pure). A token is derived from everything that makes two
 * requests the same job: a repeated start (Lambda's retry of an invocation, a schedule delivered twice) asks for the
 * same job again, and S3 answers with the one it created.
 */
public final class JobRequests {
    /** Where the jobs write in the report bucket; the bucket's lifecycle rule expires all three. */
    public static final String REPORT_PREFIX = "atrest-backfill/reports";
    public static final String MANIFEST_PREFIX = "atrest-backfill/manifests";
    public static final String RETRY_PREFIX = "atrest-backfill/retries";

    private JobRequests() {}

    /** The job that takes one filter's objects of {@code bucket}. */
    public static NewJob forBucket(JobKind kind, String bucket, boolean dryRun, JobSettings settings, String startId) {
        if (kind == JobKind.RETRY) {
            throw new IllegalArgumentException("a retry job is made from a finished job: retry()");
        }
        String token = token("bucket", settings.account(), bucket, kind.tag(), settings.keyArn(),
                Boolean.toString(settings.bucketKeyEnabled()), Boolean.toString(dryRun), settings.roleArn(), startId);
        return new NewJob(kind, bucket, dryRun, token, JobTags.description(kind, bucket, null),
                JobTags.of(kind, bucket, dryRun, null), null, null);
    }

    /**
     * The one retry of a finished job's retryable tasks, through the S3 function. Its token names the parent job and
     * the manifest, so a redelivered end-of-job event gets the same retry job back.
     */
    public static NewJob retry(AtrestJob parent, boolean dryRun, NewJob.ManifestFile manifest) {
        String token = token("retry", parent.jobId(), manifest.key(), manifest.etag(), Boolean.toString(dryRun));
        return new NewJob(JobKind.RETRY, parent.bucket(), dryRun, token,
                JobTags.description(JobKind.RETRY, parent.bucket(), parent.jobId()),
                JobTags.of(JobKind.RETRY, parent.bucket(), dryRun, parent.jobId()), parent.jobId(), manifest);
    }

    public static String retryManifestKey(String parentJobId) {
        return RETRY_PREFIX + "/job-" + parentJobId + ".csv";
    }

    /** Where S3 puts a job's completion report: {@code <prefix>/job-<id>/manifest.json}. */
    public static String reportBase(String prefix, String jobId) {
        return (prefix == null || prefix.isEmpty() ? "" : prefix + "/") + "job-" + jobId;
    }

    /** SHA-256 of the parts, in hex: 64 characters, CreateJob's longest ClientRequestToken. */
    static String token(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                sha.update(String.valueOf(p).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
