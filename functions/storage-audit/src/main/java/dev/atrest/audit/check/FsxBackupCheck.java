package dev.atrest.audit.check;

import dev.atrest.audit.aws.FsxGateway;
import dev.atrest.core.findings.Severity;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * FSx backups are under a customer managed key where one is required: a backup keeps its file system's key, and
 * restoring it under another key needs a copy. Security Hub has no control for it. Reports only.
 */
public final class FsxBackupCheck extends FsxKeyCheck {
    public static final CheckDefinition DEFINITION = new CheckDefinition("fsx-backup-key", null,
            "FSx backup is not encrypted under a customer managed key as required", Severity.MEDIUM, "Other",
            "Copy the backup with a customer managed KMS key (CopyBackup with KmsKeyId), then delete the original "
                    + "once nothing restores from it.");

    public FsxBackupCheck(FsxGateway fsx) {
        super(fsx, "backup/", "fsx:DescribeBackups");
    }

    @Override
    public CheckDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void list(AuditRun run, List<String> regions, Consumer<FsxGateway.FsxResource> out) {
        for (String region : regions) {
            fsx.backups(region, out);
        }
    }

    @Override
    Optional<FsxGateway.FsxResource> findById(String region, String id) {
        return fsx.backup(region, id);
    }

    @Override
    String what(FsxKeyState backup) {
        return "backup";
    }

    @Override
    String idDetail() {
        return "backupId";
    }

    @Override
    String extraDetail() {
        return "fileSystemId";
    }
}
