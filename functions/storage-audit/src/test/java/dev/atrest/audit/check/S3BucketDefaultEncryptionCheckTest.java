package dev.atrest.audit.check;

import static dev.atrest.audit.check.Evaluations.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3BucketDefaultEncryptionCheckTest {
    private final S3BucketDefaultEncryptionCheck check = new S3BucketDefaultEncryptionCheck(null);

    @ParameterizedTest(name = "bucket sse={0} key={1} -> {2}")
    @CsvSource({
        ",             ,      FAILED, bucket has no default encryption configuration",
        "AES256,       ,      FAILED, 'bucket default encryption is AES256, not SSE-KMS'",
        "aws:kms,      ,      PASSED, bucket default encryption is aws:kms",
        "aws:kms,      arn:k, PASSED, bucket default encryption is aws:kms",
        "aws:kms:dsse, arn:k, PASSED, bucket default encryption is aws:kms:dsse",
    })
    void buckets(String sse, String key, ComplianceStatus status, String reason) {
        Finding f = check.evaluate(new BucketState("b", "arn:aws:s3:::b", "eu-west-1", sse, key), context(true));

        assertThat(f.status()).isEqualTo(status);
        assertThat(f.reason()).isEqualTo(reason);
        assertThat(f.id()).isEqualTo("atrest/s3-bucket-default-kms/eu-west-1/arn:aws:s3:::b");
        assertThat(f.controlId()).isEqualTo("S3.17");
        assertThat(f.resourceType()).isEqualTo("AwsS3Bucket");
        assertThat(f.details()).containsEntry("bucket", "b");
        assertThat(f.details().get("sseAlgorithm")).isEqualTo(sse);
        assertThat(f.details().get("kmsKeyId")).isEqualTo(key);
    }
}
