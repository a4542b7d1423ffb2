package dev.atrest.s3;

import dev.atrest.s3.Decision.Action;
import java.time.Instant;
import java.util.Map;

/**
 * Decides, for one object the copy path will rewrite, what the copy must carry over and whether it can at all.
 * Pure. A copy keeps the bytes; CopyObject also keeps user and system metadata, tags and the checksum; everything
 * else (ACL grants, Object Lock settings, storage class, website redirect, and for a multipart copy every header,
 * the tags and the checksum) exists on the new version only if the write asks for it. Where S3 offers no way to
 * keep a property, the object is refused and left as it is, for a person to decide.
 */
public final class CopyPlanner {
    private CopyPlanner() {}

    /**
     * The copy operation for {@code decided}: a multipart copy, unless the object has a checksum only CopyObject can
     * keep and is small enough for it (CopyObject copies up to 5 GiB whatever MULTIPART_THRESHOLD_BYTES says).
     */
    public static Action method(ObjectState s, Action decided) {
        if (decided == Action.MULTIPART_COPY && !multipartKeepsChecksum(s)
                && s.size() <= ReencryptConfig.MAX_SINGLE_COPY_BYTES) {
            return Action.COPY;
        }
        return decided;
    }

    /**
     * A multipart copy's checksum is whatever its upload was created with: a FULL_OBJECT CRC of the same algorithm
     * equals the source's (and S3 checks it at completion); a SHA-1/SHA-256 checksum, a composite one (it depends
     * on the part sizes) or one of the newer algorithms cannot be carried.
     */
    static boolean multipartKeepsChecksum(ObjectState s) {
        return s.checksumAlgorithm() == null || s.fullObjectCrc();
    }

    /** What HeadObject alone says against copying, or null: the dry run reports it without further requests. */
    public static String refusalFromHead(ObjectState s, Action decided, Instant now) {
        if (s.lock().eventHold()) {
            return "under an Object Lock event hold: a copy would need the new version under the same hold, which "
                    + "this function does not set; left as it is, needs a person";
        }
        if (!s.lock().knownMode()) {
            return "Object Lock mode '" + s.lock().mode() + "' is unknown to this function: left as it is, needs a "
                    + "person";
        }
        Action method = method(s, decided);
        if (!s.undecodableHeaders().isEmpty() && (method == Action.MULTIPART_COPY
                || s.undecodableHeaders().contains("x-amz-website-redirect-location"))) {
            return "the value of " + s.undecodableHeaders() + " cannot be written again as S3 holds it (bytes that are "
                    + "not UTF-8, or an Expires that is not a date), and this copy would have to; left as it is, needs "
                    + "a person";
        }
        if (method == Action.MULTIPART_COPY && !multipartKeepsChecksum(s)) {
            return "its " + s.checksumAlgorithm() + (s.checksumType() == null ? "" : " " + s.checksumType())
                    + " checksum cannot be kept: the object is over CopyObject's 5 GiB limit and a multipart copy "
                    + "only keeps a full-object CRC32, CRC32C or CRC64NVME checksum (S3 would give it a new composite "
                    + "checksum of the parts); left as it is, needs a person";
        }
        return null;
    }

    /**
     * @param acl the version's ACL
     * @param bucketOwner the bucket owner's canonical id; needed only when {@code acl} is not the default private
     *     one (null otherwise)
     * @param tags the version's tags; needed only for a multipart copy (null otherwise)
     */
    public static CopyPlan plan(ObjectState s, Action decided, ObjectAcl acl, String bucketOwner,
                                Map<String, String> tags, Instant now) {
        Action method = method(s, decided);
        if (method == Action.MULTIPART_COPY && s.tagCount() > 0 && tags == null) {
            throw new IllegalArgumentException("a multipart copy of a tagged object needs its tags");
        }
        String refusal = refusalFromHead(s, decided, now);
        if (refusal != null) {
            return CopyPlan.refused(method, refusal);
        }
        ObjectAcl grants = null;
        if (!acl.ownerOnly()) {
            String why = acl.notExpressible();
            if (why != null) {
                return CopyPlan.refused(method, "its ACL cannot be carried by a copy (" + why + "); left as it is, "
                        + "needs a person");
            }
            if (bucketOwner != null && !bucketOwner.equals(acl.owner())) {
                return CopyPlan.refused(method, "owned by another account (canonical id " + acl.owner() + "): an "
                        + "in-place copy would make the bucket owner its owner; left as it is, needs a person");
            }
            grants = acl;
        }
        String note = method != decided ? "CopyObject although the object is over the multipart threshold: only a "
                + "single copy keeps its " + s.checksumAlgorithm() + " checksum" : null;
        boolean multipart = method == Action.MULTIPART_COPY;
        String uploadAlgorithm = multipart && s.fullObjectCrc() ? s.checksumAlgorithm() : null;
        boolean checksumKept = s.checksumAlgorithm() != null && s.checksumValue() != null;
        return new CopyPlan(method, grants, s.lock().toCarry(now), uploadAlgorithm, checksumKept,
                multipart ? (tags == null ? Map.of() : tags) : null, note, null);
    }
}
