package dev.atrest.audit.check;

import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit's rules: pure functions from a described resource to a finding (passed or failed, with the reason).
 * The audit never changes volumes, snapshots or file systems, so the remediation text carries the way to fix them.
 */
public final class EncryptionChecks {
    static final String VOLUME_FIX = "An EBS volume cannot be encrypted in place: snapshot it, copy the snapshot with "
            + "encryption under a customer managed KMS key, create a volume from the copy and swap it in "
            + "(stop the instance, detach, attach); turn on EBS encryption by default so new volumes are encrypted.";
    static final String SNAPSHOT_FIX = "Copy the snapshot with Encrypted=true and a customer managed KMS key "
            + "(CopySnapshot), move dependants (AMIs, restores) to the copy, then delete the unencrypted snapshot.";
    static final String DEFAULTS_FIX = "Turn on EBS encryption by default in this region (EnableEbsEncryptionByDefault) "
            + "and set a customer managed key (ModifyEbsDefaultKmsKeyId); it affects new volumes only.";
    static final String EFS_FIX = "EFS cannot be encrypted after creation: create a new file system encrypted with a "
            + "customer managed KMS key, copy the data (AWS DataSync or AWS Backup restore to the new file system), "
            + "move mount targets and clients to it, then delete the old file system.";
    static final String S3_FIX = "Set the bucket's default encryption to SSE-KMS with a customer managed key "
            + "(PutBucketEncryption, BucketKeyEnabled=true); re-encrypt existing objects with the atrest S3 function "
            + "or S3 Batch Operations.";

    private EncryptionChecks() {}

    public static Finding volume(VolumeState v, String accountId, Instant now) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("volumeId", v.volumeId());
        if (!v.attachedInstanceIds().isEmpty()) {
            details.put("attachedTo", String.join(",", v.attachedInstanceIds()));
        }
        if (v.kmsKeyId() != null) {
            details.put("kmsKeyId", v.kmsKeyId());
        }
        String where = v.attachedInstanceIds().isEmpty() ? "unattached"
                : "attached to " + String.join(", ", v.attachedInstanceIds());
        return v.encrypted()
                ? finding(StorageCheck.EBS_VOLUME, ComplianceStatus.PASSED, v.arn(), v.region(), accountId,
                        "volume (" + where + ") is encrypted", VOLUME_FIX, v.tags(), details, now)
                : finding(StorageCheck.EBS_VOLUME, ComplianceStatus.FAILED, v.arn(), v.region(), accountId,
                        "volume (" + where + ") is not encrypted", VOLUME_FIX, v.tags(), details, now);
    }

    public static Finding snapshot(SnapshotState s, String accountId, Instant now) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("snapshotId", s.snapshotId());
        if (s.volumeId() != null) {
            details.put("volumeId", s.volumeId());
        }
        return finding(StorageCheck.EBS_SNAPSHOT, s.encrypted() ? ComplianceStatus.PASSED : ComplianceStatus.FAILED,
                s.arn(), s.region(), accountId, s.encrypted() ? "snapshot is encrypted" : "snapshot is not encrypted",
                SNAPSHOT_FIX, s.tags(), details, now);
    }

    public static Finding ebsDefaults(EbsDefaultsState d, boolean requireCustomerManagedKey, String accountId,
            Instant now) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("encryptionByDefault", Boolean.toString(d.encryptionByDefault()));
        if (d.defaultKeyId() != null) {
            details.put("defaultKmsKeyId", d.defaultKeyId());
        }
        ComplianceStatus status;
        String reason;
        if (!d.encryptionByDefault()) {
            status = ComplianceStatus.FAILED;
            reason = "EBS encryption by default is off";
        } else if (requireCustomerManagedKey && d.defaultKeyManager() != KeyManager.CUSTOMER) {
            status = ComplianceStatus.FAILED;
            reason = d.defaultKeyManager() == KeyManager.AWS
                    ? "EBS encryption by default uses the AWS managed key " + d.defaultKeyId()
                    : "EBS encryption by default uses " + d.defaultKeyId() + ", which could not be verified as customer managed";
        } else {
            status = ComplianceStatus.PASSED;
            reason = "EBS encryption by default is on" + (requireCustomerManagedKey ? " with a customer managed key" : "");
        }
        return finding(StorageCheck.EBS_DEFAULT_ENCRYPTION, status, d.accountResource(), d.region(), accountId, reason,
                DEFAULTS_FIX, Map.of(), details, now);
    }

    public static Finding fileSystem(FileSystemState fs, boolean requireCustomerManagedKey, String accountId,
            Instant now) {
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
        return finding(StorageCheck.EFS_FILE_SYSTEM, status, fs.arn(), fs.region(), accountId, reason, EFS_FIX, fs.tags(),
                details, now);
    }

    public static Finding bucket(BucketState b, String accountId, Instant now) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("bucket", b.name());
        if (b.sseAlgorithm() != null) {
            details.put("sseAlgorithm", b.sseAlgorithm());
        }
        if (b.kmsKeyId() != null) {
            details.put("kmsKeyId", b.kmsKeyId());
        }
        boolean kms = "aws:kms".equals(b.sseAlgorithm()) || "aws:kms:dsse".equals(b.sseAlgorithm());
        String reason = b.sseAlgorithm() == null ? "bucket has no default encryption configuration"
                : kms ? "bucket default encryption is " + b.sseAlgorithm()
                : "bucket default encryption is " + b.sseAlgorithm() + ", not SSE-KMS";
        return finding(StorageCheck.S3_BUCKET_DEFAULT, kms ? ComplianceStatus.PASSED : ComplianceStatus.FAILED,
                b.arn(), b.region(), accountId, reason, S3_FIX, Map.of(), details, now);
    }

    private static Finding finding(StorageCheck check, ComplianceStatus status, String resource, String region,
            String accountId, String reason, String remediation, Map<String, String> tags, Map<String, String> details,
            Instant now) {
        return new Finding(null, check.id, check.controlId, check.title, check.severity, status, check.resourceType,
                resource, region, accountId, reason, remediation, tags, details, now);
    }
}
