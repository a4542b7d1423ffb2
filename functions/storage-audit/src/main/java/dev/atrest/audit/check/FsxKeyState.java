package dev.atrest.audit.check;

import java.util.Map;

/**
 * An FSx file system or backup and the key its data is under (FSx always encrypts at rest).
 *
 * @param type WINDOWS, LUSTRE, ONTAP or OPENZFS (a backup's file system type)
 * @param detail a Lustre file system's deployment type, or a backup's file system id; null otherwise
 * @param kmsKeyId the key ARN; null for Lustre scratch file systems, encrypted under keys FSx manages itself
 * @param keyManager who manages the key; null when not asked (customer managed keys not required, or no key)
 */
public record FsxKeyState(String id, String arn, String region, String type, String detail, String kmsKeyId,
        KeyManager keyManager, Map<String, String> tags) {}
