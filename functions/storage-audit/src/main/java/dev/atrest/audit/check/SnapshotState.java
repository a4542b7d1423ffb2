package dev.atrest.audit.check;

import java.util.Map;

/**
 * An EBS snapshot owned by the account.
 *
 * @param keyManager who manages its key; null when not encrypted or not asked (customer managed keys not required)
 */
public record SnapshotState(String snapshotId, String arn, String region, boolean encrypted, String kmsKeyId,
        String volumeId, Map<String, String> tags, KeyManager keyManager) {

    /** As listed, before anyone asked who manages its key. */
    public SnapshotState(String snapshotId, String arn, String region, boolean encrypted, String kmsKeyId,
            String volumeId, Map<String, String> tags) {
        this(snapshotId, arn, region, encrypted, kmsKeyId, volumeId, tags, null);
    }

    public SnapshotState withKeyManager(KeyManager manager) {
        return new SnapshotState(snapshotId, arn, region, encrypted, kmsKeyId, volumeId, tags, manager);
    }
}
