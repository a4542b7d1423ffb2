package dev.atrest.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobRequestsTest {
    static final JobSettings SETTINGS = new JobSettings("123456789012", "aws", "arn:aws:iam::123456789012:role/r",
            "reports", "arn:aws:kms:us-east-1:123456789012:key/k", true,
            "arn:aws:lambda:us-east-1:123456789012:function:f:live", 10);

    @Test
    void theSameStartMakesTheSameTokenAndAnythingThatChangesTheJobChangesIt() {
        NewJob a = JobRequests.forBucket(JobKind.SSE_S3, "data", true, SETTINGS, "req-1");
        assertThat(a.token()).hasSize(64).matches("[0-9a-f]{64}")
                .isEqualTo(JobRequests.forBucket(JobKind.SSE_S3, "data", true, SETTINGS, "req-1").token());
        List<String> others = List.of(
                JobRequests.forBucket(JobKind.SSE_S3, "data", true, SETTINGS, "req-2").token(),
                JobRequests.forBucket(JobKind.NOT_SSE, "data", true, SETTINGS, "req-1").token(),
                JobRequests.forBucket(JobKind.SSE_S3, "logs", true, SETTINGS, "req-1").token(),
                JobRequests.forBucket(JobKind.SSE_S3, "data", false, SETTINGS, "req-1").token(),
                JobRequests.forBucket(JobKind.SSE_S3, "data", true, new JobSettings("123456789012", "aws",
                        SETTINGS.roleArn(), "reports", "arn:aws:kms:us-east-1:123456789012:key/other", true,
                        SETTINGS.lambdaPathArn(), 10), "req-1").token());
        assertThat(others).doesNotContain(a.token()).doesNotHaveDuplicates();
    }

    @Test
    void jobsCarryTheirTagsAndADescriptionListJobsShows() {
        NewJob a = JobRequests.forBucket(JobKind.NOT_SSE, "data", false, SETTINGS, "req-1");
        assertThat(a.description()).isEqualTo("atrest backfill not-sse s3://data").hasSizeLessThanOrEqualTo(256);
        assertThat(JobTags.read("j", a.tags())).contains(new AtrestJob("j", JobKind.NOT_SSE, "data", false, null));
        assertThatThrownBy(() -> JobRequests.forBucket(JobKind.RETRY, "data", false, SETTINGS, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRetryIsTheSameJobForTheSameParentAndManifest() {
        AtrestJob parent = new AtrestJob("d6e58ec4-897a-4b6d-975f-10d7f0fb63ce", JobKind.SSE_S3, "data", false, null);
        NewJob.ManifestFile file = new NewJob.ManifestFile("reports", JobRequests.retryManifestKey(parent.jobId()), "e1");
        NewJob r = JobRequests.retry(parent, false, file);
        assertThat(r.token()).isEqualTo(JobRequests.retry(parent, false, file).token())
                .isNotEqualTo(JobRequests.retry(parent, false, new NewJob.ManifestFile("reports", file.key(), "e2")).token());
        assertThat(JobTags.read("r", r.tags())).contains(new AtrestJob("r", JobKind.RETRY, "data", false, parent.jobId()));
        assertThat(r.description()).endsWith("retry of " + parent.jobId());
        assertThat(file.key()).isEqualTo("atrest-backfill/retries/job-" + parent.jobId() + ".csv");
    }

    @Test
    void retryManifestsAreUrlEncodedKeysWithoutVersions() {
        byte[] csv = RetryManifest.csv(List.of(new FailedTask("data", "a b+c/é,\"q\"\n", "v1", "failed", "503", "", ""),
                new FailedTask("data", "plain", null, "failed", "503", "", "")));
        assertThat(new String(csv, StandardCharsets.UTF_8))
                .isEqualTo("data,a%20b%2Bc/%C3%A9%2C%22q%22%0A\ndata,plain\n");
    }

    @Test
    void reportLocations() {
        assertThat(JobRequests.reportBase("atrest-backfill/reports", "j1")).isEqualTo("atrest-backfill/reports/job-j1");
        assertThat(JobRequests.reportBase(null, "j1")).isEqualTo("job-j1");
    }
}
