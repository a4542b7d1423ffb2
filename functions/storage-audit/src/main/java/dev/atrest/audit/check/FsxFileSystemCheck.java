package dev.atrest.audit.check;

import dev.atrest.audit.aws.FsxGateway;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * FSx file systems (Windows File Server, Lustre, ONTAP, OpenZFS) are under a customer managed key where one is
 * required. FSx always encrypts at rest, so without REQUIRE_CUSTOMER_MANAGED_KEY every file system passes. Security
 * Hub has no control for it. Reports only: a file system's key cannot be changed.
 */
public final class FsxFileSystemCheck implements AuditCheck<FsxGateway.FsxResource, FsxKeyState> {
    public static final CheckDefinition DEFINITION = new CheckDefinition("fsx-file-system-key", null,
            "FSx file system is not encrypted under a customer managed key as required", Severity.MEDIUM, "Other",
            "An FSx file system's key cannot be changed: back it up, restore the backup to a new file system "
                    + "created with a customer managed KMS key (or copy the data with AWS DataSync), move clients to "
                    + "it, then delete the old file system. Lustre scratch file systems cannot use a KMS key: use a "
                    + "persistent deployment type.");

    private final FsxGateway fsx;

    public FsxFileSystemCheck(FsxGateway fsx) {
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
        return Set.of("fsx:DescribeFileSystems", "kms:DescribeKey");
    }

    @Override
    public void list(AuditRun run, List<String> regions, Consumer<FsxGateway.FsxResource> out) {
        for (String region : regions) {
            fsx.fileSystems(region, out);
        }
    }

    @Override
    public boolean audits(String resourceId) {
        return ResourceArns.id(resourceId, "fsx", "file-system/").isPresent();
    }

    @Override
    public Optional<FsxGateway.FsxResource> find(AuditRun run, String region, String resourceId) {
        return ResourceArns.id(resourceId, "fsx", "file-system/").flatMap(id -> fsx.fileSystem(region, id));
    }

    @Override
    public String region(FsxGateway.FsxResource fs) {
        return fs.region();
    }

    @Override
    public FsxKeyState describe(AuditRun run, FsxGateway.FsxResource fs) {
        return FsxKeyRule.describe(run, fs);
    }

    @Override
    public Set<FactKind<?>> produces() {
        return Set.of(KeyUse.KIND);
    }

    @Override
    public void share(FsxKeyState fs, RunFacts facts) {
        FsxKeyRule.share(fs, facts, DEFINITION.id());
    }

    @Override
    public Finding evaluate(FsxKeyState fs, RunContext context) {
        String what = (fs.type() == null ? "FSx" : fs.type()) + " file system"
                + (fs.detail() == null ? "" : " (" + fs.detail() + ")");
        return FsxKeyRule.evaluate(DEFINITION, fs, context, what, "fileSystemId", "deploymentType");
    }
}
