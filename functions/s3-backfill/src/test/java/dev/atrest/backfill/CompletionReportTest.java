package dev.atrest.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Completion reports as S3 documents them, read from an in-memory store. */
class CompletionReportTest {
    static final String REPORTS = "reports";
    static final String JOB = "f8fb9d89-a3aa-461d-bddc-ea6a1b131955";
    static final String BASE = "atrest-backfill/reports/job-" + JOB;
    private final Map<String, byte[]> objects = new HashMap<>();

    private final CompletionReport.Store store = (bucket, key) -> Optional.ofNullable(objects.get(bucket + "/" + key))
            .map(b -> (InputStream) new ByteArrayInputStream(b));

    static JobState job(String reportBucket) {
        return new JobState(JOB, "Complete", 5L, 2, 3, Instant.EPOCH, Instant.EPOCH, 1L, List.of(), reportBucket,
                "atrest-backfill/reports", true, "S3UpdateObjectEncryption", null, null, false);
    }

    private String put(String key, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        objects.put(REPORTS + "/" + key, bytes);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void manifest(String resultsKey, String md5, String bucket) {
        put(BASE + "/manifest.json", "{\"Format\": \"Report_CSV_20180820\", \"ReportCreationDate\": "
                + "\"2019-04-05T17:48:39.725Z\", \"Results\": [{\"TaskExecutionStatus\": \"succeeded\", \"Bucket\": \""
                + bucket + "\", \"MD5Checksum\": \"x\", \"Key\": \"" + BASE + "/results/ok.csv\"}, "
                + "{\"TaskExecutionStatus\": \"failed\", \"Bucket\": \"" + bucket + "\", \"MD5Checksum\": \"" + md5
                + "\", \"Key\": \"" + resultsKey + "\"}], \"ReportSchema\": \"Bucket, Key, VersionId, TaskStatus, "
                + "ErrorCode, HTTPStatusCode, ResultMessage\"}");
    }

    @Test
    void readsTheFailedRowsInTheDocumentedColumnOrder() {
        String csv = "data,a%20b%2Bc.txt,,failed,403,AccessDenied,\"The encryption type for the specified object can't "
                + "be updated because that object is protected by S3 Object Lock.\"\n"
                + "data,plain,v1,failed,400,InvalidRequest,\"The UpdateObjectEncryption operation doesn't supported "
                + "unencrypted source objects. Only source objects encrypted with SSE-S3 or SSE-KMS are supported.\"\n"
                + "data,image_14975,,failed,200,PermanentFailure,\"Lambda returned function error: {\"\"errorMessage\"\":"
                + "\"\"Task timed out after 3.00 seconds\"\"}\"\n"
                + "\n"
                + "data,short\n";
        String key = BASE + "/results/b2ddad417e94331e9f37b44f1faf8c7ed5873f2e.csv";
        manifest(key, put(key, csv), REPORTS);
        FailureGroups groups = new FailureGroups("data", false, true);
        CompletionReport.Summary summary = CompletionReport.read(store, job(REPORTS), REPORTS, groups);

        assertThat(summary.found()).isTrue();
        assertThat(summary.location()).isEqualTo("s3://reports/" + BASE + "/manifest.json");
        assertThat(summary.rows()).isEqualTo(3);
        assertThat(summary.malformedRows()).isEqualTo(1);
        assertThat(groups.groups()).containsOnlyKeys(FailureReason.OBJECT_LOCK, FailureReason.UNENCRYPTED,
                FailureReason.OTHER);
        assertThat(groups.groups().get(FailureReason.OBJECT_LOCK).samples()).singleElement().asString()
                .startsWith("data/a b+c.txt (403 AccessDenied: ");
        assertThat(groups.retries()).extracting(FailedTask::resource).containsExactly("data/plain@v1");
    }

    @Test
    void noReportIsNoFailureRead() {
        FailureGroups groups = new FailureGroups("data", false, true);
        CompletionReport.Summary summary = CompletionReport.read(store, job(REPORTS), REPORTS, groups);
        assertThat(summary.found()).isFalse();
        assertThat(groups.total()).isZero();
    }

    @Test
    void aReportElsewhereOrPointingElsewhereOrNotMatchingItsChecksumIsUnusable() {
        FailureGroups groups = new FailureGroups("data", false, true);
        assertThatThrownBy(() -> CompletionReport.read(store, job("someone-elses"), REPORTS, groups))
                .isInstanceOf(CompletionReport.Unusable.class).hasMessageContaining("not the configured report bucket");

        String key = BASE + "/results/x.csv";
        String md5 = put(key, "data,k,,failed,503,SlowDown,slow\n");
        manifest("atrest-backfill/reports/job-other/results/x.csv", md5, REPORTS);
        assertThatThrownBy(() -> CompletionReport.read(store, job(REPORTS), REPORTS, groups))
                .isInstanceOf(CompletionReport.Unusable.class).hasMessageContaining("outside this job's report");

        manifest(key, md5, "another-bucket");
        assertThatThrownBy(() -> CompletionReport.read(store, job(REPORTS), REPORTS, groups))
                .isInstanceOf(CompletionReport.Unusable.class).hasMessageContaining("outside this job's report");

        manifest(key, "0123456789abcdef0123456789abcdef", REPORTS);
        assertThatThrownBy(() -> CompletionReport.read(store, job(REPORTS), REPORTS, groups))
                .isInstanceOf(CompletionReport.Unusable.class).hasMessageContaining("MD5");

        manifest(BASE + "/results/missing.csv", md5, REPORTS);
        assertThatThrownBy(() -> CompletionReport.read(store, job(REPORTS), REPORTS, groups))
                .isInstanceOf(CompletionReport.Unusable.class).hasMessageContaining("does not exist");

        put(BASE + "/manifest.json", "{\"Format\": \"Something_Else\"}");
        assertThatThrownBy(() -> CompletionReport.read(store, job(REPORTS), REPORTS, groups))
                .isInstanceOf(CompletionReport.Unusable.class).hasMessageContaining("not of format");

        put(BASE + "/manifest.json", "{not json");
        assertThatThrownBy(() -> CompletionReport.read(store, job(REPORTS), REPORTS, groups))
                .isInstanceOf(CompletionReport.Unusable.class).hasMessageContaining("is not JSON");
    }

    @Test
    void reportKeysAreUrlDecodedLikeTheS3FunctionDecodesManifestKeys() {
        assertThat(CompletionReport.decode("a%20b+c%2B%C3%A9")).isEqualTo("a b c+é");
        assertThat(CompletionReport.decode("bad%zz")).isEqualTo("bad%zz");
    }
}
