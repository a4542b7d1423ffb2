package dev.atrest.audit.check;

import static dev.atrest.audit.check.Evaluations.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3BucketSseCBlockedCheckTest {
    private final S3BucketSseCBlockedCheck check = new S3BucketSseCBlockedCheck(null);

    @ParameterizedTest(name = "blocked={0} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "SSE-C |  | PASSED | bucket blocks SSE-C writes",
        "NONE  |  | FAILED | bucket does not block SSE-C writes: objects written with customer-provided keys escape KMS (no rotation, no record of key use, no revocation)",
        "      |  | FAILED | bucket does not block SSE-C writes: objects written with customer-provided keys escape KMS (no rotation, no record of key use, no revocation)",
    })
    void buckets(String blocked, String unused, ComplianceStatus status, String reason) {
        List<String> types = blocked == null ? List.of() : List.of(blocked);
        Finding f = check.evaluate(new S3BucketSseCBlockedCheck.SseCState("b", "arn:aws:s3:::b", "eu-west-1",
                types.contains("SSE-C"), types, "aws:kms", null), context(true));

        assertThat(f.status()).isEqualTo(status);
        assertThat(f.reason()).isEqualTo(reason);
        assertThat(f.id()).isEqualTo("atrest/s3-bucket-blocks-sse-c/eu-west-1/arn:aws:s3:::b");
        assertThat(f.controlId()).isNull();
        assertThat(f.resourceType()).isEqualTo("AwsS3Bucket");
        assertThat(f.details().get("blockedEncryptionTypes")).isEqualTo(blocked);
    }
}
