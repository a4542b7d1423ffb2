package dev.atrest.audit.check;

import java.util.List;
import java.util.Map;

/**
 * An EBS volume as the audit sees it.
 *
 * @param keyManager who manages its key; null when not encrypted or not asked (customer managed keys not required)
 */
public record VolumeState(String volumeId, String arn, String region, boolean encrypted, String kmsKeyId,
        List<String> attachedInstanceIds, Map<String, String> tags, KeyManager keyManager) {

    /** As listed, before anyone asked who manages its key. */
    public VolumeState(String volumeId, String arn, String region, boolean encrypted, String kmsKeyId,
            List<String> attachedInstanceIds, Map<String, String> tags) {
        this(volumeId, arn, region, encrypted, kmsKeyId, attachedInstanceIds, tags, null);
    }

    public VolumeState withKeyManager(KeyManager manager) {
        return new VolumeState(volumeId, arn, region, encrypted, kmsKeyId, attachedInstanceIds, tags, manager);
    }
}
