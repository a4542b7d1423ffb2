package dev.atrest.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.audit.check.BucketState;
import dev.atrest.audit.check.EbsDefaultsState;
import dev.atrest.audit.check.EncryptionChecks;
import dev.atrest.audit.check.FileSystemState;
import dev.atrest.audit.check.KeyManager;
import dev.atrest.audit.check.SnapshotState;
import dev.atrest.audit.check.VolumeState;
import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncryptionChecksTest {
    private static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
    private static final String ACCOUNT = "123456789012";

    @ParameterizedTest(name = "volume encrypted={0} attached={1} -> {2}")
    @CsvSource({
        "false, '',              FAILED, volume (unattached) is not encrypted",
        "false, i-1,             FAILED, 'volume (attached to i-1) is not encrypted'",
        "false, i-1;i-2,         FAILED, 'volume (attached to i-1, i-2) is not encrypted'",
        "true,  i-1,             PASSED, 'volume (attached to i-1) is encrypted'",
        "true,  '',              PASSED, volume (unattached) is encrypted",
    })
    void volumes(boolean encrypted, String attached, ComplianceStatus status, String reason) {
        List<String> instances = attached.isBlank() ? List.of() : List.of(attached.split(";"));
        Finding f = EncryptionChecks.volume(new VolumeState("vol-1", "arn:aws:ec2:us-east-1:123456789012:volume/vol-1",
                "us-east-1", encrypted, null, instances, Map.of()), ACCOUNT, NOW);
        assertThat(f.status()).isEqualTo(status);
        assertThat(f.reason()).isEqualTo(reason);
        assertThat(f.controlId()).isEqualTo("EC2.3");
        assertThat(f.details().get("attachedTo")).isEqualTo(attached.isBlank() ? null : attached.replace(';', ','));
        assertThat(f.remediation()).contains("cannot be encrypted in place");
    }

    @ParameterizedTest(name = "snapshot encrypted={0} -> {1}")
    @CsvSource({"false, FAILED", "true, PASSED"})
    void snapshots(boolean encrypted, ComplianceStatus status) {
        Finding f = EncryptionChecks.snapshot(new SnapshotState("snap-1", "arn:aws:ec2:us-east-1::snapshot/snap-1",
                "us-east-1", encrypted, null, "vol-1", Map.of()), ACCOUNT, NOW);
        assertThat(f.status()).isEqualTo(status);
        assertThat(f.controlId()).isNull();
    }

    @ParameterizedTest(name = "ebs default on={0} key={1} manager={2} requireCmk={3} -> {4}")
    @CsvSource({
        "false, alias/aws/ebs, ,         false, FAILED, EBS encryption by default is off",
        "false, arn:k,         CUSTOMER, true,  FAILED, EBS encryption by default is off",
        "true,  alias/aws/ebs, ,         false, PASSED, EBS encryption by default is on",
        "true,  alias/aws/ebs, AWS,      true,  FAILED, EBS encryption by default uses the AWS managed key alias/aws/ebs",
        "true,  arn:k,         UNKNOWN,  true,  FAILED, 'EBS encryption by default uses arn:k, which could not be verified as customer managed'",
        "true,  arn:k,         CUSTOMER, true,  PASSED, EBS encryption by default is on with a customer managed key",
    })
    void ebsDefaults(boolean on, String key, KeyManager manager, boolean requireCmk, ComplianceStatus status,
            String reason) {
        Finding f = EncryptionChecks.ebsDefaults(new EbsDefaultsState("eu-west-1", "AWS::::Account:" + ACCOUNT, on, key,
                manager), requireCmk, ACCOUNT, NOW);
        assertThat(f.status()).isEqualTo(status);
        assertThat(f.reason()).isEqualTo(reason);
        assertThat(f.controlId()).isEqualTo("EC2.7");
        assertThat(f.id()).isEqualTo("atrest/ebs-default-encryption/eu-west-1/AWS::::Account:" + ACCOUNT);
    }

    @ParameterizedTest(name = "efs encrypted={0} manager={1} requireCmk={2} -> {3}")
    @CsvSource({
        "false, ,         false, FAILED, file system is not encrypted",
        "false, ,         true,  FAILED, file system is not encrypted",
        "true,  AWS,      false, PASSED, file system is encrypted",
        "true,  AWS,      true,  FAILED, 'file system is encrypted with the AWS managed key, not a customer managed key'",
        "true,  UNKNOWN,  true,  FAILED, file system key k could not be verified as customer managed",
        "true,  CUSTOMER, true,  PASSED, file system is encrypted with a customer managed key",
    })
    void fileSystems(boolean encrypted, KeyManager manager, boolean requireCmk, ComplianceStatus status, String reason) {
        Finding f = EncryptionChecks.fileSystem(new FileSystemState("fs-1", "arn:fs-1", "us-east-1", encrypted,
                encrypted ? "k" : null, manager, Map.of()), requireCmk, ACCOUNT, NOW);
        assertThat(f.status()).isEqualTo(status);
        assertThat(f.reason()).isEqualTo(reason);
        assertThat(f.controlId()).isEqualTo("EFS.1");
        assertThat(f.remediation()).contains("cannot be encrypted after creation").contains("DataSync");
    }

    @ParameterizedTest(name = "bucket sse={0} -> {1}")
    @CsvSource({
        ",             FAILED, bucket has no default encryption configuration",
        "AES256,       FAILED, 'bucket default encryption is AES256, not SSE-KMS'",
        "aws:kms,      PASSED, bucket default encryption is aws:kms",
        "aws:kms:dsse, PASSED, bucket default encryption is aws:kms:dsse",
    })
    void buckets(String sse, ComplianceStatus status, String reason) {
        Finding f = EncryptionChecks.bucket(new BucketState("b", "arn:aws:s3:::b", "us-east-1", sse, null), ACCOUNT, NOW);
        assertThat(f.status()).isEqualTo(status);
        assertThat(f.reason()).isEqualTo(reason);
        assertThat(f.controlId()).isEqualTo("S3.17");
    }
}
