package dev.atrest.audit.check;

import dev.atrest.audit.aws.FsxGateway;
import dev.atrest.core.findings.Severity;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * FSx file systems (Windows File Server, Lustre, ONTAP, OpenZFS) are under a customer managed key where one is
 * required. FSx always encrypts at rest, so without REQUIRE_CUSTOMER_MANAGED_KEY every file system passes. Security
 * Hub has no control for it. Reports only: a file system's key cannot be changed.
 */
public final class FsxFileSystemCheck extends FsxKeyCheck {
    public static final CheckDefinition DEFINITION = new CheckDefinition("fsx-file-system-key", null,
            "FSx file system is not encrypted under a customer managed key as required", Severity.MEDIUM, "Other",
            "An FSx file system's key cannot be changed: back it up, restore the backup to a new file system "
                    + "created with a customer managed KMS key (or copy the data with AWS DataSync), move clients to "
                    + "it, then delete the old file system. Lustre scratch file systems cannot use a KMS key: use a "
                    + "persistent deployment type.");

    public FsxFileSystemCheck(FsxGateway fsx) {
        super(fsx, "file-system/", "fsx:DescribeFileSystems");
    }

    @Override
    public CheckDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void list(AuditRun run, List<String> regions, Consumer<FsxGateway.FsxResource> out) {
        for (String region : regions) {
            fsx.fileSystems(region, out);
        }
    }

    @Override
    Optional<FsxGateway.FsxResource> findById(String region, String id) {
        return fsx.fileSystem(region, id);
    }

    @Override
    String what(FsxKeyState fs) {
        return (fs.type() == null ? "FSx" : fs.type()) + " file system"
                + (fs.detail() == null ? "" : " (" + fs.detail() + ")");
    }

    @Override
    String idDetail() {
        return "fileSystemId";
    }

    @Override
    String extraDetail() {
        return "deploymentType";
    }
}
