package dev.atrest.audit.check;

import dev.atrest.audit.aws.FsxGateway;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * FSx backups are under a customer managed key where one is required: a backup keeps its file system's key, and
 * restoring it under another key needs a copy. Security Hub has no control for it. Reports only.
 */
public final class FsxBackupCheck implements AuditCheck<FsxGateway.FsxResource, FsxKeyState> {
    public static final CheckDefinition DEFINITION = new CheckDefinition("fsx-backup-key", null,
            "FSx backup is not encrypted under a customer managed key as required", Severity.MEDIUM, "Other",
            "Copy the backup with a customer managed KMS key (CopyBackup with KmsKeyId), then delete the original "
                    + "once nothing restores from it.");

    private final FsxGateway fsx;

    public FsxBackupCheck(FsxGateway fsx) {
        this.fsx = fsx;
    }

    @Override
    public CheckDefinition definition() {
        return DEFINITION;
    }

    @Override
    public CheckReach reach() {
        return CheckReach.REGION;
    }

    @Override
    public Set<String> readActions() {
        return Set.of("fsx:DescribeBackups", "kms:DescribeKey");
    }

    @Override
    public void list(AuditRun run, List<String> regions, Consumer<FsxGateway.FsxResource> out) {
        for (String region : regions) {
            fsx.backups(region, out);
        }
    }

    @Override
    public boolean audits(String resourceId) {
        return ResourceArns.id(resourceId, "fsx", "backup/").isPresent();
    }

    @Override
    public Optional<FsxGateway.FsxResource> find(AuditRun run, String region, String resourceId) {
        return ResourceArns.id(resourceId, "fsx", "backup/").flatMap(id -> fsx.backup(region, id));
    }

    @Override
    public String region(FsxGateway.FsxResource backup) {
        return backup.region();
    }

    @Override
    public FsxKeyState describe(AuditRun run, FsxGateway.FsxResource backup) {
        return FsxKeyRule.describe(run, backup);
    }

    @Override
    public Set<FactKind<?>> produces() {
        return Set.of(KeyUse.KIND);
    }

    @Override
    public void share(FsxKeyState backup, RunFacts facts) {
        FsxKeyRule.share(backup, facts, DEFINITION.id());
    }

    @Override
    public Finding evaluate(FsxKeyState backup, RunContext context) {
        return FsxKeyRule.evaluate(DEFINITION, backup, context, "backup", "backupId", "fileSystemId");
    }
}
