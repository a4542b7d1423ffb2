package dev.atrest.audit.check;

import dev.atrest.audit.aws.EfsGateway;
import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every EFS file system is encrypted (Security Hub EFS.1), under a customer managed key where required. EFS cannot
 * be encrypted after creation: the audit reports and tags.
 */
public final class EfsFileSystemCheck implements AuditCheck<EfsGateway.FileSystem, FileSystemState> {
    public static final CheckDefinition DEFINITION = new CheckDefinition("efs-encrypted", "EFS.1",
            "EFS file system is not encrypted at rest as required", Severity.MEDIUM, "Other",
            "EFS cannot be encrypted after creation: create a new file system encrypted with a customer managed KMS "
                    + "key, copy the data (AWS DataSync or AWS Backup restore to the new file system), move mount "
                    + "targets and clients to it, then delete the old file system.");

    private final EfsGateway efs;

    public EfsFileSystemCheck(EfsGateway efs) {
        this.efs = efs;
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
        return Set.of("elasticfilesystem:DescribeFileSystems", "kms:DescribeKey");
    }

    @Override
    public Optional<ResourceTagging> tagging() {
        return Optional.of(ResourceTagging.efs(efs));
    }

    @Override
    public void list(AuditRun run, List<String> regions, Consumer<EfsGateway.FileSystem> out) {
        for (String region : regions) {
            efs.fileSystems(region, out);
        }
    }

    @Override
    public boolean audits(String resourceId) {
        return ResourceArns.id(resourceId, "elasticfilesystem", "file-system/").isPresent();
    }

    @Override
    public Optional<EfsGateway.FileSystem> find(AuditRun run, String region, String resourceId) {
        return ResourceArns.id(resourceId, "elasticfilesystem", "file-system/")
                .flatMap(id -> efs.fileSystem(region, id));
    }

    @Override
    public String region(EfsGateway.FileSystem fs) {
        return fs.region();
    }

    @Override
    public FileSystemState describe(AuditRun run, EfsGateway.FileSystem fs) {
        KeyManager manager = !fs.encrypted() ? null
                : fs.kmsKeyId() == null ? KeyManager.AWS // EFS reports no key only for its AWS managed default
                : run.keys().manager(fs.region(), fs.kmsKeyId());
        return new FileSystemState(fs.id(), fs.arn(), fs.region(), fs.encrypted(), fs.kmsKeyId(), manager, fs.tags());
    }

    @Override
    public Set<FactKind<?>> produces() {
        return Set.of(KeyUse.KIND);
    }

    @Override
    public void share(FileSystemState fs, RunFacts facts) {
        KeyUse.share(facts, fs.region(), fs.kmsKeyId(), fs.arn(), DEFINITION.id());
    }

    @Override
    public Finding evaluate(FileSystemState fs, RunContext context) {
        boolean requireCustomerManagedKey = context.config().requireCustomerManagedKey();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("fileSystemId", fs.fileSystemId());
        if (fs.kmsKeyId() != null) {
            details.put("kmsKeyId", fs.kmsKeyId());
        }
        ComplianceStatus status;
        String reason;
        if (!fs.encrypted()) {
            status = ComplianceStatus.FAILED;
            reason = "file system is not encrypted";
        } else if (requireCustomerManagedKey && fs.keyManager() != KeyManager.CUSTOMER) {
            status = ComplianceStatus.FAILED;
            reason = fs.keyManager() == KeyManager.UNKNOWN
                    ? "file system key " + fs.kmsKeyId() + " could not be verified as customer managed"
                    : "file system is encrypted with the AWS managed key, not a customer managed key";
        } else {
            status = ComplianceStatus.PASSED;
            reason = "file system is encrypted" + (requireCustomerManagedKey ? " with a customer managed key" : "");
        }
        return DEFINITION.finding(context, status, fs.arn(), fs.region(), reason, fs.tags(), details);
    }
}
