package dev.atrest.audit;

import java.util.List;

/**
 * One resource an event asks the audit to look at, and the checks to ask about it.
 *
 * @param kind what the resource is, which decides how its finding names it
 * @param id the resource as the event names it (vol-…, snap-…, fs-…, backup-…, a bucket's name, a key id, ARN or
 *     alias, cks-…); validated by shape, never used unchecked
 * @param checkIds the registered checks whose finding on the resource the event may change
 * @param cause the event that named it (createVolume, PutBucketEncryption...)
 */
public record AuditTarget(Kind kind, String id, List<String> checkIds, String cause) {

    public enum Kind { VOLUME, SNAPSHOT, EBS_DEFAULTS, EFS_FILE_SYSTEM, FSX_FILE_SYSTEM, FSX_BACKUP, BUCKET, KEY,
        CUSTOM_KEY_STORE }

    public AuditTarget {
        checkIds = List.copyOf(checkIds);
    }

    /** The resource id its findings carry (the same a scheduled audit gives it). */
    public String resourceId(String partition, String region, String account) {
        String regional = "arn:" + partition + ":%s:" + region + ":" + account + ":%s";
        return switch (kind) {
            case VOLUME -> regional.formatted("ec2", "volume/" + id);
            case SNAPSHOT -> "arn:" + partition + ":ec2:" + region + "::snapshot/" + id;
            case EBS_DEFAULTS -> "AWS::::Account:" + account;
            case EFS_FILE_SYSTEM -> regional.formatted("elasticfilesystem", "file-system/" + id);
            case FSX_FILE_SYSTEM -> regional.formatted("fsx", "file-system/" + id);
            case FSX_BACKUP -> regional.formatted("fsx", "backup/" + id);
            case BUCKET -> "arn:" + partition + ":s3:::" + id;
            case KEY -> id.startsWith("arn:") ? id
                    : regional.formatted("kms", (id.startsWith("alias/") ? "" : "key/") + id);
            case CUSTOM_KEY_STORE -> regional.formatted("kms", "custom-key-store/" + id);
        };
    }
}
