package dev.atrest.s3;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Everything an object version carries, read with the test's own client (content included): what the copy path
 * must keep. {@link #sameAsExceptEncryption} compares all of it but the encryption, which the copy changes.
 */
record ObjectSnapshot(String contentSha256, long size, Map<String, String> metadata, String contentType,
                      String contentEncoding, String contentLanguage, String contentDisposition, String cacheControl,
                      Instant expires, String storageClass, String website, Map<String, String> tags,
                      Set<String> grants, String owner, String lockMode, Instant retainUntil, String legalHold,
                      String checksum, String sse, String kmsKeyId, Boolean bucketKey, String versionId) {

    static ObjectSnapshot of(S3Client s3, String bucket, String key, String versionId) {
        HeadObjectResponse h = s3.headObject(b -> b.bucket(bucket).key(key).versionId(versionId)
                .checksumMode("ENABLED"));
        byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId)).asByteArray();
        Map<String, String> tags = new TreeMap<>();
        s3.getObjectTagging(b -> b.bucket(bucket).key(key).versionId(versionId)).tagSet()
                .forEach(t -> tags.put(t.key(), t.value()));
        var acl = s3.getObjectAcl(b -> b.bucket(bucket).key(key).versionId(versionId));
        Set<String> grants = new TreeSet<>();
        acl.grants().forEach(g -> grants.add((g.grantee().id() != null ? "id=" + g.grantee().id()
                : "uri=" + g.grantee().uri()) + ":" + g.permissionAsString()));
        String checksum = h.checksumSHA256() != null ? "SHA256 " + h.checksumSHA256()
                : h.checksumCRC32() != null ? "CRC32 " + h.checksumCRC32()
                : h.checksumCRC32C() != null ? "CRC32C " + h.checksumCRC32C()
                : h.checksumCRC64NVME() != null ? "CRC64NVME " + h.checksumCRC64NVME() : null;
        return new ObjectSnapshot(sha256(bytes), h.contentLength(), new TreeMap<>(h.metadata()), h.contentType(),
                h.contentEncoding(), h.contentLanguage(), h.contentDisposition(), h.cacheControl(), h.expires(),
                h.storageClassAsString() == null ? "STANDARD" : h.storageClassAsString(), h.websiteRedirectLocation(),
                tags, grants, acl.owner() == null ? null : acl.owner().id(), h.objectLockModeAsString(),
                h.objectLockRetainUntilDate(), h.objectLockLegalHoldStatusAsString(), checksum,
                h.serverSideEncryptionAsString(), h.ssekmsKeyId(), h.bucketKeyEnabled(), h.versionId());
    }

    static ObjectSnapshot current(S3Client s3, String bucket, String key) {
        return of(s3, bucket, key, null);
    }

    /** This snapshot as it should read after an in-place copy to SSE-KMS under {@code keyArn}. */
    ObjectSnapshot encrypted(String keyArn) {
        return new ObjectSnapshot(contentSha256, size, metadata, contentType, contentEncoding, contentLanguage,
                contentDisposition, cacheControl, expires, storageClass, website, tags, grants, owner, lockMode,
                retainUntil, legalHold, checksum, "aws:kms", keyArn, true, null);
    }

    ObjectSnapshot withoutVersion() {
        return new ObjectSnapshot(contentSha256, size, metadata, contentType, contentEncoding, contentLanguage,
                contentDisposition, cacheControl, expires, storageClass, website, tags, grants, owner, lockMode,
                retainUntil, legalHold, checksum, sse, kmsKeyId, bucketKey, null);
    }

    /** The number of properties compared (every component but the version id). */
    static int propertiesCompared() {
        return ObjectSnapshot.class.getRecordComponents().length - 1;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
