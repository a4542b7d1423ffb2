package dev.atrest.audit.check;

import static dev.atrest.audit.check.Evaluations.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EfsFileSystemCheckTest {
    private final EfsFileSystemCheck check = new EfsFileSystemCheck(null);

    @ParameterizedTest(name = "efs encrypted={0} manager={1} requireCmk={2} -> {3}")
    @CsvSource({
        "false, ,         false, FAILED, file system is not encrypted",
        "false, ,         true,  FAILED, file system is not encrypted",
        "true,  AWS,      false, PASSED, file system is encrypted",
        "true,  UNKNOWN,  false, PASSED, file system is encrypted",
        "true,  AWS,      true,  FAILED, 'file system is encrypted with the AWS managed key, not a customer managed key'",
        "true,  UNKNOWN,  true,  FAILED, file system key k could not be verified as customer managed",
        "true,  CUSTOMER, true,  PASSED, file system is encrypted with a customer managed key",
    })
    void fileSystems(boolean encrypted, KeyManager manager, boolean requireCmk, ComplianceStatus status, String reason) {
        String arn = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1";
        Finding f = check.evaluate(new FileSystemState("fs-1", arn, "us-east-1", encrypted, encrypted ? "k" : null,
                manager, Map.of("team", "a")), context(requireCmk));

        assertThat(f.status()).isEqualTo(status);
        assertThat(f.reason()).isEqualTo(reason);
        assertThat(f.id()).isEqualTo("atrest/efs-encrypted/us-east-1/" + arn);
        assertThat(f.controlId()).isEqualTo("EFS.1");
        assertThat(f.details()).containsEntry("fileSystemId", "fs-1");
        assertThat(f.details().get("kmsKeyId")).isEqualTo(encrypted ? "k" : null);
        assertThat(f.resourceTags()).containsEntry("team", "a");
        assertThat(f.remediation()).contains("cannot be encrypted after creation").contains("DataSync");
    }
}
