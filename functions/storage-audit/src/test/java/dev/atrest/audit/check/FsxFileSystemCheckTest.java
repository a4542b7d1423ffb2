package dev.atrest.audit.check;

import static dev.atrest.audit.check.Evaluations.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FsxFileSystemCheckTest {
    private final FsxFileSystemCheck check = new FsxFileSystemCheck(null);

    @ParameterizedTest(name = "{0} {1} key={2} manager={3} requireCmk={4} -> {5}")
    @CsvSource(delimiter = '|', value = {
        "WINDOWS | | arn:k | CUSTOMER | true  | PASSED | WINDOWS file system is encrypted with a customer managed key",
        "ONTAP   | | arn:a | AWS      | true  | FAILED | ONTAP file system uses the AWS managed key arn:a (a customer managed key is required)",
        "OPENZFS | | arn:u | UNKNOWN  | true  | FAILED | OPENZFS file system uses arn:u, which could not be verified as customer managed",
        "WINDOWS | | arn:a |          | false | PASSED | WINDOWS file system is encrypted under arn:a",
        "LUSTRE  | PERSISTENT_2 | arn:k | CUSTOMER | true | PASSED | LUSTRE file system (PERSISTENT_2) is encrypted with a customer managed key",
        "LUSTRE  | SCRATCH_2 |  |        | true  | FAILED | LUSTRE file system (SCRATCH_2) is encrypted under a key Amazon FSx manages (no KMS key): a customer managed key is required",
        "LUSTRE  | SCRATCH_1 |  |        | false | PASSED | LUSTRE file system (SCRATCH_1) is encrypted under a key Amazon FSx manages (no KMS key)",
    })
    void fileSystems(String type, String deployment, String key, KeyManager manager, boolean requireCmk,
            ComplianceStatus status, String reason) {
        String arn = "arn:aws:fsx:us-east-1:123456789012:file-system/fs-0123456789abcdef0";
        Finding f = check.evaluate(new FsxKeyState("fs-0123456789abcdef0", arn, "us-east-1", type, deployment, key,
                manager, Map.of("team", "a")), context(requireCmk));

        assertThat(f.status()).isEqualTo(status);
        assertThat(f.reason()).isEqualTo(reason);
        assertThat(f.id()).isEqualTo("atrest/fsx-file-system-key/us-east-1/" + arn);
        assertThat(f.controlId()).isNull();
        assertThat(f.details()).containsEntry("fileSystemId", "fs-0123456789abcdef0").containsEntry("fileSystemType",
                type);
        assertThat(f.details().get("deploymentType")).isEqualTo(deployment);
        assertThat(f.details().get("kmsKeyId")).isEqualTo(key);
        assertThat(f.resourceTags()).isEqualTo(Map.of("team", "a"));
    }
}
