package dev.atrest.audit.check;

import dev.atrest.core.findings.Severity;

/**
 * The checks of the audit, each with the AWS Security Hub control it corresponds to (null where Security Hub has
 * none) and the ASFF resource type of what it looks at.
 */
public enum StorageCheck {
    EBS_VOLUME("ebs-volume-encrypted", "EC2.3", "EBS volume is not encrypted at rest", Severity.MEDIUM, "AwsEc2Volume"),
    EBS_SNAPSHOT("ebs-snapshot-encrypted", null, "EBS snapshot is not encrypted at rest", Severity.MEDIUM, "Other"),
    EBS_DEFAULT_ENCRYPTION("ebs-default-encryption", "EC2.7",
            "EBS encryption by default is off or does not use a customer managed key", Severity.MEDIUM, "AwsAccount"),
    EFS_FILE_SYSTEM("efs-encrypted", "EFS.1", "EFS file system is not encrypted at rest as required", Severity.MEDIUM,
            "Other"),
    S3_BUCKET_DEFAULT("s3-bucket-default-kms", "S3.17", "S3 bucket default encryption is not SSE-KMS", Severity.MEDIUM,
            "AwsS3Bucket");

    public final String id;
    public final String controlId;
    public final String title;
    public final Severity severity;
    public final String resourceType;

    StorageCheck(String id, String controlId, String title, Severity severity, String resourceType) {
        this.id = id;
        this.controlId = controlId;
        this.title = title;
        this.severity = severity;
        this.resourceType = resourceType;
    }
}
