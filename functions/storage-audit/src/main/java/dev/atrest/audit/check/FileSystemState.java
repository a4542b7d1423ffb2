package dev.atrest.audit.check;

import java.util.Map;

/**
 * An EFS file system.
 *
 * @param keyManager who manages its key; null when not encrypted
 */
public record FileSystemState(String fileSystemId, String arn, String region, boolean encrypted, String kmsKeyId,
        KeyManager keyManager, Map<String, String> tags) {}
