package dev.atrest.s3;

import dev.atrest.s3.Decision.Action;
import java.util.Map;

/**
 * What one in-place copy must ask S3 for so that the new version carries everything the version it copies had, and
 * what the verification expects to find. Built by {@link CopyPlanner}; a plan with a refusal is never written.
 *
 * @param method COPY (CopyObject) or MULTIPART_COPY (UploadPartCopy)
 * @param grants the grants to write (x-amz-grant-*), or null for the default private ACL
 * @param lock the Object Lock settings to write (NONE for none)
 * @param uploadChecksumAlgorithm multipart only: the FULL_OBJECT CRC to create the upload with, or null
 * @param checksumKept true when the new version must have the source's checksum, algorithm and value
 * @param tags multipart only: the tags to set (a multipart upload does not copy them); null for CopyObject
 * @param note why the plan differs from the decision (e.g. a CopyObject above the multipart threshold), or null
 * @param refusal why this object must not be copied (it would lose something a copy cannot keep), or null
 */
public record CopyPlan(Action method, ObjectAcl grants, ObjectLock lock, String uploadChecksumAlgorithm,
                       boolean checksumKept, Map<String, String> tags, String note, String refusal) {

    public CopyPlan {
        lock = lock == null ? ObjectLock.NONE : lock;
        tags = tags == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    }

    static CopyPlan refused(Action method, String why) {
        return new CopyPlan(method, null, ObjectLock.NONE, null, false, null, null, why);
    }

    public boolean refused() {
        return refusal != null;
    }
}
