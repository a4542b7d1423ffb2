package dev.atrest.s3;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One object version as HeadObject saw it: what the policy decides on, what a copy must carry over, and what
 * verification compares against.
 *
 * @param kmsKeyId the key S3 reports for SSE-KMS objects (a full ARN on AWS)
 * @param bucketKeyEnabled null when S3 does not say
 * @param storageClass STANDARD when S3 does not say
 * @param archiveStatus Intelligent-Tiering archive tier (ARCHIVE_ACCESS, DEEP_ARCHIVE_ACCESS) or null
 * @param versionId null for unversioned buckets
 * @param checksumAlgorithm e.g. CRC32, SHA256; null when the object has no additional checksum
 * @param checksumType FULL_OBJECT or COMPOSITE (checksum of the parts' checksums); null when S3 does not say
 * @param tagCount number of tags (x-amz-tagging-count)
 * @param website website redirect location, or null
 * @param lock Object Lock settings (none when S3 shows none)
 * @param undecodableHeaders the headers (metadata, content headers, website redirect) whose bytes are not UTF-8, and
 *     an Expires that is not a date: the SDK cannot write them again as they are
 */
public record ObjectState(
        String bucket,
        String key,
        String versionId,
        Encryption encryption,
        String kmsKeyId,
        Boolean bucketKeyEnabled,
        String storageClass,
        String archiveStatus,
        long size,
        String etag,
        Instant lastModified,
        String checksumAlgorithm,
        String checksumValue,
        String checksumType,
        int tagCount,
        ContentHeaders headers,
        Map<String, String> metadata,
        String website,
        ObjectLock lock,
        Set<String> undecodableHeaders) {

    public ObjectState {
        storageClass = storageClass == null || storageClass.isBlank() ? "STANDARD" : storageClass;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        headers = headers == null ? ContentHeaders.NONE : headers;
        lock = lock == null ? ObjectLock.NONE : lock;
        undecodableHeaders = undecodableHeaders == null ? Set.of() : Set.copyOf(undecodableHeaders);
    }

    public ObjectState(String bucket, String key, String versionId, Encryption encryption, String kmsKeyId,
                       Boolean bucketKeyEnabled, String storageClass, String archiveStatus, long size, String etag,
                       Instant lastModified, String checksumAlgorithm, String checksumValue, String checksumType,
                       int tagCount, ContentHeaders headers, Map<String, String> metadata, String website,
                       ObjectLock lock) {
        this(bucket, key, versionId, encryption, kmsKeyId, bucketKeyEnabled, storageClass, archiveStatus, size, etag,
                lastModified, checksumAlgorithm, checksumValue, checksumType, tagCount, headers, metadata, website,
                lock, Set.of());
    }

    /** A version without Object Lock settings. */
    public ObjectState(String bucket, String key, String versionId, Encryption encryption, String kmsKeyId,
                       Boolean bucketKeyEnabled, String storageClass, String archiveStatus, long size, String etag,
                       Instant lastModified, String checksumAlgorithm, String checksumValue, String checksumType,
                       int tagCount, ContentHeaders headers, Map<String, String> metadata, String website) {
        this(bucket, key, versionId, encryption, kmsKeyId, bucketKeyEnabled, storageClass, archiveStatus, size, etag,
                lastModified, checksumAlgorithm, checksumValue, checksumType, tagCount, headers, metadata, website,
                ObjectLock.NONE);
    }

    /** The system metadata a copy must keep. */
    public record ContentHeaders(String contentType, String contentEncoding, String contentLanguage,
                                 String contentDisposition, String cacheControl, Instant expires) {
        public static final ContentHeaders NONE = new ContentHeaders(null, null, null, null, null, null);
    }

    /** Glacier Flexible Retrieval, Deep Archive and the Intelligent-Tiering archive tiers: no copy without a restore. */
    public boolean archived() {
        return "GLACIER".equals(storageClass) || "DEEP_ARCHIVE".equals(storageClass)
                || (archiveStatus != null && !archiveStatus.isBlank());
    }

    /**
     * A CRC over the whole object: it depends on the bytes only, so any copy can keep it and be checked against it.
     * Composite checksums depend on the part sizes and SHA checksums of multipart objects are always composite.
     */
    public boolean fullObjectCrc() {
        return checksumAlgorithm != null && checksumValue != null
                && Set.of("CRC32", "CRC32C", "CRC64NVME").contains(checksumAlgorithm)
                && (checksumType == null ? !checksumValue.contains("-") : "FULL_OBJECT".equals(checksumType));
    }

    /** How the summary names the encryption: e.g. "SSE_KMS(arn:...)". */
    public String describeEncryption() {
        if (encryption == Encryption.SSE_KMS || encryption == Encryption.DSSE_KMS) {
            return encryption + "(" + kmsKeyId + (Boolean.TRUE.equals(bucketKeyEnabled) ? ", bucket key" : "") + ")";
        }
        return encryption.name();
    }
}
