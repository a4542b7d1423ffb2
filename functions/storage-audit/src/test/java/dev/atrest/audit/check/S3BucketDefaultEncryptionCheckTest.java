package dev.atrest.audit.check;

import static dev.atrest.audit.check.Evaluations.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3BucketDefaultEncryptionCheckTest {
    private final S3BucketDefaultEncryptionCheck check = new S3BucketDefaultEncryptionCheck(null);

    @ParameterizedTest(name = "bucket sse={0} key={1} manager={2} requireCmk={3} -> {4}")
    @CsvSource({
        ",             ,      ,         true,  FAILED, bucket has no default encryption configuration",
        "AES256,       ,      ,         true,  FAILED, 'bucket default encryption is AES256, not SSE-KMS'",
        "AES256,       ,      ,         false, FAILED, 'bucket default encryption is AES256, not SSE-KMS'",
        "aws:kms,      ,      ,         false, PASSED, bucket default encryption is aws:kms",
        "aws:kms,      ,      AWS,      true,  FAILED, bucket default encryption aws:kms uses the AWS managed key aws/s3 (a customer managed key is required)",
        "aws:kms,      arn:k, CUSTOMER, true,  PASSED, bucket default encryption is aws:kms with a customer managed key",
        "aws:kms,      arn:a, AWS,      true,  FAILED, bucket default encryption aws:kms uses the AWS managed key arn:a (a customer managed key is required)",
        "aws:kms,      arn:u, UNKNOWN,  true,  FAILED, 'bucket default encryption aws:kms uses arn:u, which could not be verified as customer managed'",
        "aws:kms:dsse, arn:k, CUSTOMER, true,  PASSED, bucket default encryption is aws:kms:dsse with a customer managed key",
        "aws:kms:dsse, arn:k, ,         false, PASSED, bucket default encryption is aws:kms:dsse",
    })
    void buckets(String sse, String key, KeyManager manager, boolean requireCmk, ComplianceStatus status,
            String reason) {
        Finding f = check.evaluate(new BucketState("b", "arn:aws:s3:::b", "eu-west-1", sse, key, manager),
                context(requireCmk));

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
