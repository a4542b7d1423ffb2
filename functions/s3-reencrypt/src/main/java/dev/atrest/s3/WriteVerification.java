package dev.atrest.s3;

import dev.atrest.s3.Decision.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Compares an object before and after a write. Pure. Any difference means the write did not do what it should
 * (or did more), and is reported as critical.
 */
public final class WriteVerification {
    private WriteVerification() {}

    public static List<String> differences(ObjectState before, HeadResult afterHead, Action method, String targetKeyArn,
                                           boolean bucketKey) {
        List<String> out = new ArrayList<>();
        if (afterHead.presence() != HeadResult.Presence.PRESENT) {
            out.add("object not readable after the write: " + afterHead.presence());
            return out;
        }
        ObjectState after = afterHead.state();
        if (after.encryption() != Encryption.SSE_KMS || !targetKeyArn.equals(after.kmsKeyId())) {
            out.add("encryption is " + after.describeEncryption() + ", expected SSE_KMS(" + targetKeyArn + ")");
        }
        if (bucketKey && !Boolean.TRUE.equals(after.bucketKeyEnabled())) {
            out.add("S3 Bucket Key not enabled");
        }
        if (before.size() != after.size()) {
            out.add("size changed: " + before.size() + " -> " + after.size());
        }
        if (!Objects.equals(before.storageClass(), after.storageClass())) {
            out.add("storage class changed: " + before.storageClass() + " -> " + after.storageClass());
        }
        if (method == Action.UPDATE_ENCRYPTION) {
            // UpdateObjectEncryption moves no data: the ETag (and the checksum) must be exactly the same.
            if (!Objects.equals(before.etag(), after.etag())) {
                out.add("ETag changed: " + before.etag() + " -> " + after.etag());
            }
            if (!Objects.equals(before.checksumValue(), after.checksumValue())) {
                out.add("checksum changed");
            }
            return out;
        }
        boolean checksumKept = method == Action.COPY ? before.checksumAlgorithm() != null : before.fullObjectCrc();
        if (checksumKept && (!before.checksumAlgorithm().equals(after.checksumAlgorithm())
                    || !Objects.equals(before.checksumValue(), after.checksumValue()))) {
            // CopyObject keeps the checksum; a multipart copy keeps a whole-object CRC (composite ones depend on
            // the part sizes and cannot be compared).
            out.add("checksum changed: " + before.checksumAlgorithm() + " " + before.checksumValue() + " -> "
                    + after.checksumAlgorithm() + " " + after.checksumValue());
        }
        if (before.tagCount() != after.tagCount()) {
            out.add("tag count changed: " + before.tagCount() + " -> " + after.tagCount());
        }
        if (!before.metadata().equals(after.metadata())) {
            out.add("user metadata changed");
        }
        if (!before.headers().equals(after.headers())) {
            out.add("system metadata changed: " + before.headers() + " -> " + after.headers());
        }
        if (!Objects.equals(before.website(), after.website())) {
            out.add("website redirect changed");
        }
        return out;
    }
}
