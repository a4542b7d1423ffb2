package dev.atrest.audit.check;

/**
 * A region's EBS encryption-by-default setting.
 *
 * @param defaultKeyManager who manages {@code defaultKeyId}; null when not looked up
 */
public record EbsDefaultsState(String region, String accountResource, boolean encryptionByDefault,
        String defaultKeyId, KeyManager defaultKeyManager) {}
