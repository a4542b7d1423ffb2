package dev.atrest.audit.check;

import static dev.atrest.audit.check.Evaluations.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FsxBackupCheckTest {
    private final FsxBackupCheck check = new FsxBackupCheck(null);

    @ParameterizedTest(name = "key={0} manager={1} requireCmk={2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "arn:k | CUSTOMER | true  | PASSED | backup is encrypted with a customer managed key",
        "arn:a | AWS      | true  | FAILED | backup uses the AWS managed key arn:a (a customer managed key is required)",
        "arn:u | UNKNOWN  | true  | FAILED | backup uses arn:u, which could not be verified as customer managed",
        "arn:a |          | false | PASSED | backup is encrypted under arn:a",
    })
    void backups(String key, KeyManager manager, boolean requireCmk, ComplianceStatus status, String reason) {
        String arn = "arn:aws:fsx:us-east-1:123456789012:backup/backup-0123456789abcdef0";
        Finding f = check.evaluate(new FsxKeyState("backup-0123456789abcdef0", arn, "us-east-1", "WINDOWS",
                "fs-0123456789abcdef0", key, manager, Map.of()), context(requireCmk));

        assertThat(f.status()).isEqualTo(status);
        assertThat(f.reason()).isEqualTo(reason);
        assertThat(f.id()).isEqualTo("atrest/fsx-backup-key/us-east-1/" + arn);
        assertThat(f.details()).containsEntry("backupId", "backup-0123456789abcdef0")
                .containsEntry("fileSystemId", "fs-0123456789abcdef0").containsEntry("kmsKeyId", key);
    }
}
