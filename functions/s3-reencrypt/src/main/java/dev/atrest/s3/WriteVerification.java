package dev.atrest.s3;

import static dev.atrest.core.json.UntrustedText.abbreviate;

import dev.atrest.s3.Decision.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares an object before and after a write. Pure. Any difference means the write did not do what it should
 * (or did more), and is reported as critical; the callers first rule out a newer write by someone else, which is
 * never a difference of ours.
 */
public final class WriteVerification {
    private WriteVerification() {}

    /**
     * After UpdateObjectEncryption (or a copy planned with nothing beyond what CopyObject keeps by itself): the
     * encryption must be the target, everything else as before.
     */
    public static List<String> differences(ObjectState before, HeadResult afterHead, Action method, String targetKeyArn,
                                           boolean bucketKey) {
        if (method == Action.UPDATE_ENCRYPTION) {
            List<String> out = new ArrayList<>();
            if (!common(before, afterHead, targetKeyArn, bucketKey, out)) {
                return out;
            }
            ObjectState after = afterHead.state();
            // UpdateObjectEncryption moves no data: the ETag (and the checksum) must be exactly the same.
            if (!Objects.equals(before.etag(), after.etag())) {
                out.add("ETag changed: " + before.etag() + " -> " + after.etag());
            }
            if (!Objects.equals(before.checksumValue(), after.checksumValue())) {
                out.add("checksum changed");
            }
            return out;
        }
        CopyPlan plan = new CopyPlan(method, null, ObjectLock.NONE, null,
                method == Action.COPY ? before.checksumAlgorithm() != null : before.fullObjectCrc(), null, null, null);
        return copyDifferences(before, plan, afterHead, null, null, targetKeyArn, bucketKey);
    }

    /**
     * After a copy: everything the plan carried must be there, as the version it copied had it.
     *
     * @param afterTags the new version's tags, read when the plan set them (a multipart copy); else null and the tag
     *     count is compared (CopyObject copies the tags itself)
     * @param afterAcl the new version's ACL, read when the plan set grants; else null
     */
    public static List<String> copyDifferences(ObjectState before, CopyPlan plan, HeadResult afterHead,
                                               Map<String, String> afterTags, ObjectAcl afterAcl, String targetKeyArn,
                                               boolean bucketKey) {
        List<String> out = new ArrayList<>();
        if (!common(before, afterHead, targetKeyArn, bucketKey, out)) {
            return out;
        }
        ObjectState after = afterHead.state();
        if (plan.checksumKept() && (!Objects.equals(before.checksumAlgorithm(), after.checksumAlgorithm())
                || !Objects.equals(before.checksumValue(), after.checksumValue()))) {
            out.add("checksum changed: " + before.checksumAlgorithm() + " " + before.checksumValue() + " -> "
                    + after.checksumAlgorithm() + " " + after.checksumValue());
        }
        if (plan.tags() != null && afterTags != null) {
            if (!plan.tags().equals(afterTags)) {
                out.add("tags changed (" + plan.tags().size() + " set, " + afterTags.size() + " found)");
            }
        } else if (before.tagCount() != after.tagCount()) {
            out.add("tag count changed: " + before.tagCount() + " -> " + after.tagCount());
        }
        if (!before.metadata().equals(after.metadata())) {
            out.add("user metadata changed");
        }
        if (!before.headers().equals(after.headers())) {
            out.add("system metadata changed: " + changedHeaders(before.headers(), after.headers()));
        }
        if (!Objects.equals(before.website(), after.website())) {
            out.add("website redirect changed");
        }
        out.addAll(after.lock().shortfalls(plan.lock()));
        if (plan.grants() != null) {
            if (afterAcl == null) {
                out.add("ACL not read after the write");
            } else {
                if (!plan.grants().sameGrants(afterAcl)) {
                    out.add("ACL grants changed: " + abbreviate(plan.grants().describe()) + " -> "
                            + abbreviate(afterAcl.describe()));
                }
                if (!Objects.equals(plan.grants().owner(), afterAcl.owner())) {
                    out.add("object owner changed: " + plan.grants().owner() + " -> " + afterAcl.owner());
                }
            }
        }
        return out;
    }

    /**
     * {@code expected} with the properties CopyObject copies from the object as it is at the write (user metadata,
     * content headers, tag count, checksum) taken from {@code after}.
     */
    static ObjectState withCopiedProperties(ObjectState expected, ObjectState after) {
        return new ObjectState(expected.bucket(), expected.key(), expected.versionId(), expected.encryption(),
                expected.kmsKeyId(), expected.bucketKeyEnabled(), expected.storageClass(), expected.archiveStatus(),
                expected.size(), expected.etag(), expected.lastModified(), after.checksumAlgorithm(),
                after.checksumValue(), after.checksumType(), after.tagCount(), after.headers(), after.metadata(),
                expected.website(), expected.lock());
    }

    private static boolean common(ObjectState before, HeadResult afterHead, String targetKeyArn, boolean bucketKey,
                                  List<String> out) {
        if (afterHead.presence() != HeadResult.Presence.PRESENT) {
            out.add("object not readable after the write: " + afterHead.presence());
            return false;
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
        return true;
    }

    /**
     * Right before a write in a bucket without versions (where nothing can be seen after the fact): what changed since
     * the object was read, by a write that kept its ETag (metadata, content type, tags, storage class) or not. Empty
     * when nothing did.
     */
    public static List<String> changesSince(ObjectState read, HeadResult now, Map<String, String> readTags,
                                            Map<String, String> nowTags) {
        List<String> out = new ArrayList<>();
        if (now.presence() != HeadResult.Presence.PRESENT) {
            out.add("now " + now.presence());
            return out;
        }
        ObjectState s = now.state();
        compare(out, "ETag", read.etag(), s.etag());
        compare(out, "LastModified", read.lastModified(), s.lastModified());
        compare(out, "size", read.size(), s.size());
        compare(out, "storage class", read.storageClass(), s.storageClass());
        compare(out, "encryption", read.describeEncryption(), s.describeEncryption());
        named(out, "user metadata", read.metadata(), s.metadata());
        named(out, "system metadata (" + changedHeaders(read.headers(), s.headers()) + ")", read.headers(),
                s.headers());
        named(out, "website redirect", read.website(), s.website());
        compare(out, "tag count", read.tagCount(), s.tagCount());
        compare(out, "checksum", read.checksumValue(), s.checksumValue());
        compare(out, "Object Lock", read.lock().describe(), s.lock().describe());
        if (readTags != null && nowTags != null) {
            named(out, "tags", readTags, nowTags);
        }
        return out;
    }

    /** Values written by the object's writers are untrusted: only the name of what changed is reported. */
    private static void named(List<String> out, String what, Object before, Object now) {
        if (!Objects.equals(before, now)) {
            out.add(what + " changed");
        }
    }

    /** The names of the content headers that differ. */
    static String changedHeaders(ObjectState.ContentHeaders a, ObjectState.ContentHeaders b) {
        List<String> names = new ArrayList<>();
        if (!Objects.equals(a.contentType(), b.contentType())) {
            names.add("Content-Type");
        }
        if (!Objects.equals(a.contentEncoding(), b.contentEncoding())) {
            names.add("Content-Encoding");
        }
        if (!Objects.equals(a.contentLanguage(), b.contentLanguage())) {
            names.add("Content-Language");
        }
        if (!Objects.equals(a.contentDisposition(), b.contentDisposition())) {
            names.add("Content-Disposition");
        }
        if (!Objects.equals(a.cacheControl(), b.cacheControl())) {
            names.add("Cache-Control");
        }
        if (!Objects.equals(a.expires(), b.expires())) {
            names.add("Expires");
        }
        return String.join(", ", names);
    }

    private static void compare(List<String> out, String what, Object before, Object now) {
        if (!Objects.equals(before, now)) {
            out.add(what + " " + before + " -> " + now);
        }
    }
}
