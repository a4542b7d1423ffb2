package dev.atrest.s3;

import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.summary.ItemResult;
import dev.atrest.core.summary.ItemResult.Outcome;
import dev.atrest.s3.Decision.Action;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The copy path: rewrites one object in place, encrypted, so that the new version carries everything the old one
 * had, or leaves it as it is and says why. In order:
 * <ol>
 *   <li>read what a copy does not carry by itself (GetObjectAcl; the bucket owner once per bucket when the ACL
 *       grants more than its owner's full control; the tags for a multipart copy) and plan the write
 *       ({@link CopyPlanner}); a plan that would lose something is refused;</li>
 *   <li>in a bucket without versions, read the object again right before the write: a write that kept the ETag
 *       (metadata, content type, tags, storage class) cannot be seen after the fact there;</li>
 *   <li>write, conditioned on the ETag that was read; a refused condition is either a newer write or our own write
 *       whose answer was lost (the SDK's retry then meets it), and the object itself tells which;</li>
 *   <li>in a versioned bucket, check that the version right below ours is the one we read; if another write
 *       landed in between, restore it on top (encrypted, with all its properties) so the newest write wins;</li>
 *   <li>verify everything the plan carried ({@link WriteVerification#copyDifferences}).</li>
 * </ol>
 */
final class InPlaceCopy {
    private final ReencryptConfig config;
    private final S3Gateway s3;
    /** A bucket's owner never changes. */
    private final Map<String, String> bucketOwners = new ConcurrentHashMap<>();

    InPlaceCopy(ReencryptConfig config, S3Gateway s3) {
        this.config = config;
        this.s3 = s3;
    }

    /** The object changed after it was read (and the change is not our own write): nothing of ours stands. */
    static final class ChangedSinceRead extends Exception {
        private static final long serialVersionUID = 1L;

        ChangedSinceRead(String why) {
            super(why, null, false, false);
        }
    }

    ItemResult run(ObjectTask t, ObjectState before, Decision decision, Map<String, Object> details,
                   AtomicLong bytesCopied) {
        ItemResult r = copy(t, before, decision, details, bytesCopied);
        Object abandoned = r.details().get("abandonedUploadId");
        if (abandoned == null) {
            return r;
        }
        // Said in the reason too: a Batch Operations report carries the reason, not the details.
        return new ItemResult(r.resource(), r.action(), r.outcome(), r.reason() + "; multipart upload " + abandoned
                + " could not be aborted (the next multipart copy of this object aborts it; the bucket lifecycle rule "
                + "AbortIncompleteMultipartUpload is the backstop)", r.details());
    }

    private ItemResult copy(ObjectTask t, ObjectState before, Decision decision, Map<String, Object> details,
                            AtomicLong bytesCopied) {
        String action = decision.action().name();
        if (t.versionId() != null) {
            HeadResult current = s3.head(t.bucket(), t.key(), null);
            if (current.state() == null
                    || !ObjectEncryptionPolicy.copyAllowed(t.versionId(), current.state().versionId())) {
                return ReencryptService.result(t, "SKIP", Outcome.SKIPPED, "version " + t.versionId() + " is no "
                        + "longer current: a copy would bring its old content back over a newer write", details);
            }
        }
        try {
            CopyPlan plan = plan(before, decision.action(), Instant.now());
            describe(plan, details);
            if (plan.refused()) {
                return ReencryptService.result(t, action, Outcome.REPORTED, "not copied: " + plan.refusal(), details);
            }
            if (plan.method() != decision.action()) {
                action = plan.method().name();
            }
            if (before.versionId() == null && plan.method() == Action.COPY) {
                List<String> changes = WriteVerification.changesSince(before, s3.head(t.bucket(), t.key(), null),
                        null, null);
                if (!changes.isEmpty()) {
                    throw new ChangedSinceRead("the object changed after it was read (" + String.join("; ", changes)
                            + ")");
                }
            }
            S3Gateway.Written written = write(before, plan, false, null, before.versionId(), details);
            bytesCopied.addAndGet(before.size());
            details.put("bytesCopied", before.size());
            if (written.versionId() != null) {
                details.put("newVersionId", written.versionId());
                VersionOrder.Check order = VersionOrder.check(s3.newestVersions(t.bucket(), t.key()),
                        written.versionId(), before.versionId());
                switch (order.verdict()) {
                    case NEWER_ON_TOP:
                        return ReencryptService.result(t, action, Outcome.SKIPPED, "changed since event: a newer "
                                + "write (" + describe(order.other()) + ") is on top of ours; it is kept and its own "
                                + "event re-checks it", details);
                    case INTERLEAVED:
                        if (sameWrite(before, plan, order.other())) {
                            details.put("earlierAttempt", "version " + order.other().versionId() + " below ours is "
                                    + "the same write (our own earlier attempt whose answer was lost, or a duplicate "
                                    + "event's): nothing to restore");
                            break;
                        }
                        return restore(t, action, written, order.other(), details, bytesCopied);
                    default:
                        break;
                }
            }
            String method = plan.method() == Action.MULTIPART_COPY ? "UploadPartCopy" : "CopyObject";
            details.put("method", method);
            return verify(t, action, before, plan, written, decision.reason(), "verified", details);
        } catch (ChangedSinceRead c) {
            return ReencryptService.result(t, action, Outcome.SKIPPED, "changed since event: " + c.getMessage()
                    + "; the newer write is left as it is and its own event re-checks it", details);
        } catch (AwsFailure f) {
            return ReencryptService.failed(t, f, details);
        }
    }

    /**
     * True when {@code entry} holds what our write of {@code read} holds: encrypted under the target key with every
     * property HeadObject shows as {@code read} had it. Such a version is an earlier attempt of the same write (the
     * SDK's retry after a lost answer copies again where ETags do not tell the copy from its source), not a newer
     * write to restore.
     */
    private boolean sameWrite(ObjectState read, CopyPlan plan, VersionOrder.Entry entry) {
        if (entry == null || entry.deleteMarker()) {
            return false;
        }
        HeadResult head = s3.head(read.bucket(), read.key(), entry.versionId());
        CopyPlan headVisible = new CopyPlan(plan.method(), null, plan.lock(), null, plan.checksumKept(), null, null,
                null);
        return head.state() != null && WriteVerification.copyDifferences(read, headVisible, head, null, null,
                config.targetKeyArn(), config.bucketKeyEnabled()).isEmpty();
    }

    /** The plan for {@code s}: the ACL, the bucket owner and the tags only where the plan needs them. */
    private CopyPlan plan(ObjectState s, Action decided, Instant now) {
        String refusal = CopyPlanner.refusalFromHead(s, decided, now);
        if (refusal != null) {
            return CopyPlan.refused(CopyPlanner.method(s, decided), refusal);
        }
        ObjectAcl acl = s3.acl(s.bucket(), s.key(), s.versionId());
        String owner = acl.ownerOnly() || acl.notExpressible() != null ? null
                : bucketOwners.computeIfAbsent(s.bucket(), s3::bucketOwner);
        Map<String, String> tags = CopyPlanner.method(s, decided) == Action.MULTIPART_COPY && s.tagCount() > 0
                ? s3.tags(s.bucket(), s.key(), s.versionId()) : null;
        return CopyPlanner.plan(s, decided, acl, owner, tags, now);
    }

    private static void describe(CopyPlan plan, Map<String, Object> details) {
        Map<String, Object> carried = new LinkedHashMap<>();
        if (plan.grants() != null) {
            carried.put("aclGrants", plan.grants().grants().size());
        }
        if (!plan.lock().none()) {
            carried.put("objectLock", plan.lock().describe());
        }
        if (plan.checksumKept()) {
            carried.put("checksum", "kept");
        }
        if (!carried.isEmpty()) {
            details.put("carried", carried);
        }
        if (plan.note() != null) {
            details.put("note", plan.note());
        }
    }

    private static String describe(VersionOrder.Entry e) {
        return e == null ? "none" : (e.deleteMarker() ? "delete marker " : "version ") + e.versionId();
    }

    /**
     * One in-place write of {@code source} as the plan says, conditioned on its ETag.
     *
     * @param restore copy exactly the version {@code source} names, over the version whose ETag is
     *     {@code destinationEtag}
     * @param expectedBelow the version a write of ours must sit on (to recognise our own write after a lost answer)
     */
    private S3Gateway.Written write(ObjectState source, CopyPlan plan, boolean restore, String destinationEtag,
                                   String expectedBelow, Map<String, Object> details) throws ChangedSinceRead {
        if (plan.method() != Action.MULTIPART_COPY) {
            try {
                return s3.copyObject(source, restore, plan, config.targetKeyArn(), config.bucketKeyEnabled(),
                        destinationEtag);
            } catch (AwsFailure f) {
                if (f.kind() == AwsFailure.Kind.PRECONDITION_FAILED) {
                    return ownWriteOrChanged(source, plan, expectedBelow, "CopyObject", f, details);
                }
                throw f;
            }
        }
        String uploadId = s3.createUpload(source, plan, config.targetKeyArn(), config.bucketKeyEnabled());
        try {
            abortAbandoned(source, uploadId, details);
            long partSize = Math.max(config.partSizeBytes(), (source.size() + 9_999) / 10_000);
            S3Gateway.CopiedParts parts = s3.copyParts(source, restore, uploadId, partSize, plan);
            if (!restore && source.versionId() == null) {
                List<String> changes = changesBeforeComplete(source, plan);
                if (!changes.isEmpty()) {
                    abortOrReport(source, uploadId, details);
                    throw new ChangedSinceRead("the object changed while it was copied (" + String.join("; ", changes)
                            + ")");
                }
            }
            return s3.complete(source, uploadId, parts, plan, restore ? destinationEtag : source.etag());
        } catch (AwsFailure f) {
            S3Gateway.Abort abort = s3.abort(source.bucket(), source.key(), uploadId);
            boolean completeRefused = "CompleteMultipartUpload".equals(f.operation())
                    && (f.kind() == AwsFailure.Kind.PRECONDITION_FAILED || f.kind() == AwsFailure.Kind.NOT_FOUND);
            if (completeRefused && abort == S3Gateway.Abort.GONE) {
                // The upload no longer exists: our CompleteMultipartUpload went through and the SDK's retry met it.
                return ownWriteOrChanged(source, plan, expectedBelow, "CompleteMultipartUpload", f, details);
            }
            if (abort == S3Gateway.Abort.FAILED) {
                abandoned(uploadId, details);
            }
            if (f.kind() == AwsFailure.Kind.PRECONDITION_FAILED) {
                throw new ChangedSinceRead("the object was overwritten after it was read (" + f.getMessage() + ")");
            }
            throw f;
        } catch (RuntimeException e) {
            abortOrReport(source, uploadId, details);
            throw e;
        }
    }

    /** Right before CompleteMultipartUpload in a bucket without versions: HeadObject (and the tags it had). */
    private List<String> changesBeforeComplete(ObjectState source, CopyPlan plan) {
        HeadResult now = s3.head(source.bucket(), source.key(), null);
        Map<String, String> tagsNow = null;
        if (now.state() != null && plan.tags() != null && !plan.tags().isEmpty()
                && now.state().tagCount() == source.tagCount()) {
            tagsNow = s3.tags(source.bucket(), source.key(), null);
        }
        return WriteVerification.changesSince(source, now, plan.tags(), tagsNow);
    }

    private void abortOrReport(ObjectState source, String uploadId, Map<String, Object> details) {
        if (s3.abort(source.bucket(), source.key(), uploadId) == S3Gateway.Abort.FAILED) {
            abandoned(uploadId, details);
        }
    }

    private static void abandoned(String uploadId, Map<String, Object> details) {
        details.put("abandonedUploadId", uploadId);
        details.put("abandonedUpload", "AbortMultipartUpload failed: the next multipart copy of this object aborts "
                + "it; the bucket's lifecycle rule AbortIncompleteMultipartUpload is the backstop");
    }

    /** Best effort: uploads of ours for this key that an earlier run could not abort. */
    private void abortAbandoned(ObjectState source, String ourUploadId, Map<String, Object> details) {
        List<String> aborted = new ArrayList<>();
        try {
            for (String id : AbandonedUploads.toAbort(s3.uploads(source.bucket(), source.key()), source.key(),
                    ourUploadId, Instant.now())) {
                if (s3.abort(source.bucket(), source.key(), id) != S3Gateway.Abort.FAILED) {
                    aborted.add(id);
                }
            }
        } catch (AwsFailure f) {
            details.put("abandonedUploadsNotListed", f.getMessage());
        }
        if (!aborted.isEmpty()) {
            details.put("abortedAbandonedUploads", aborted);
        }
    }

    /**
     * A write refused on its condition: a newer write, or our own write whose answer was lost so that the SDK's retry
     * met it. Ours if the object on top now is exactly what we wrote (encrypted under the target key with every
     * carried property), sitting on the version we copied; anything else is a newer write.
     */
    private S3Gateway.Written ownWriteOrChanged(ObjectState source, CopyPlan plan, String expectedBelow,
                                                String operation, AwsFailure f, Map<String, Object> details)
            throws ChangedSinceRead {
        List<VersionOrder.Entry> newest = s3.newestVersions(source.bucket(), source.key());
        if (!newest.isEmpty() && !newest.get(0).deleteMarker()) {
            String top = newest.get(0).versionId();
            boolean onTheVersionRead = top == null
                    || VersionOrder.check(newest, top, expectedBelow).verdict() == VersionOrder.Verdict.AS_EXPECTED;
            HeadResult current = s3.head(source.bucket(), source.key(), top);
            CopyPlan headVisible = new CopyPlan(plan.method(), null, plan.lock(), null, plan.checksumKept(), null,
                    null, null);
            if (onTheVersionRead && current.state() != null
                    && (source.lastModified() == null || current.state().lastModified() == null
                    || !current.state().lastModified().isBefore(source.lastModified()))
                    && WriteVerification.copyDifferences(source, headVisible, current, null, null,
                    config.targetKeyArn(), config.bucketKeyEnabled()).isEmpty()) {
                details.put("lostAnswer", operation + " went through but its answer was lost; the retry was refused ("
                        + f.code() + ") and the object on top is recognised as our write");
                return new S3Gateway.Written(top, current.state().etag(), current.state().lastModified(), "aws:kms",
                        current.state().kmsKeyId());
            }
        }
        throw new ChangedSinceRead("the object was overwritten after it was read (" + f.getMessage() + ")");
    }

    /** Restores in a row at most: each one answers a write that landed within milliseconds of the previous one. */
    static final int MAX_RESTORES = 3;

    /**
     * {@code interleaved} was written between our read and our write and kept the ETag, so our copy brought older
     * properties back over it: copy it on top again, encrypted, with everything it carries. The restore is
     * conditioned on the version it writes over (If-Match); should yet another write land right below it all the
     * same, that one is the newest and is restored in turn, a bounded number of times.
     */
    private ItemResult restore(ObjectTask t, String action, S3Gateway.Written ours, VersionOrder.Entry interleaved,
                               Map<String, Object> details, AtomicLong bytesCopied) {
        details.put("interleavedVersionId", interleaved.versionId());
        String what = "changed since event: " + describe(interleaved) + " was written between our read and our write "
                + "with the same ETag (a metadata, content type, tag or storage class change), and our copy "
                + "(version " + ours.versionId() + ") brought the older properties back over it";
        S3Gateway.Written top = ours;
        VersionOrder.Entry newest = interleaved;
        List<String> restored = new ArrayList<>();
        for (int round = 1; round <= MAX_RESTORES; round++) {
            if (newest.deleteMarker()) {
                return needsPerson(t, action, what + "; a delete (" + describe(newest) + ") cannot be restored by a "
                        + "copy", details);
            }
            try {
                HeadResult head = s3.head(t.bucket(), t.key(), newest.versionId());
                if (head.state() == null) {
                    return needsPerson(t, action, what + "; " + describe(newest) + " can no longer be read ("
                            + head.presence() + ")", details);
                }
                ObjectState x = head.state();
                if (x.encryption() == Encryption.SSE_C || x.encryption() == Encryption.DSSE_KMS
                        || x.encryption() == Encryption.UNKNOWN || x.archived()) {
                    return needsPerson(t, action, what + "; " + describe(newest) + " is " + x.describeEncryption()
                            + " in " + x.storageClass() + " and cannot be copied", details);
                }
                Action method = x.size() > config.multipartThresholdBytes() ? Action.MULTIPART_COPY : Action.COPY;
                CopyPlan plan = plan(x, method, Instant.now());
                if (plan.refused()) {
                    return needsPerson(t, action, what + "; it cannot be restored by a copy: " + plan.refusal(),
                            details);
                }
                S3Gateway.Written restoredVersion = write(x, plan, true, top.etag(), top.versionId(), details);
                bytesCopied.addAndGet(x.size());
                restored.add(restoredVersion.versionId());
                details.put("restoredVersionId", restoredVersion.versionId());
                String done = what + "; " + (round == 1 ? "it was" : "the newest of " + round + " writes was")
                        + " restored on top as version " + restoredVersion.versionId() + ", encrypted";
                VersionOrder.Check order = VersionOrder.check(s3.newestVersions(t.bucket(), t.key()),
                        restoredVersion.versionId(), top.versionId());
                switch (order.verdict()) {
                    case NEWER_ON_TOP:
                        return ReencryptService.result(t, action, Outcome.SKIPPED, done + "; a newer write ("
                                + describe(order.other()) + ") is now on top, kept for its own event", details);
                    case INTERLEAVED:
                        // Another write landed between the version we restored over and the restore: it is newer.
                        top = restoredVersion;
                        newest = order.other();
                        continue;
                    default:
                        details.put("method", plan.method() == Action.MULTIPART_COPY ? "UploadPartCopy"
                                : "CopyObject");
                        return verify(t, action, x, plan, restoredVersion, done, "the restored version matches it",
                                details);
                }
            } catch (ChangedSinceRead c) {
                // The restore's conditions failed: a newer write is on top, and it is the one that stands.
                return ReencryptService.result(t, action, Outcome.SKIPPED, what + "; before it could be restored, "
                        + c.getMessage() + ": the newest write is on top and its own event re-checks it", details);
            } catch (AwsFailure e) {
                return needsPerson(t, action, what + "; restoring it failed: " + e.getMessage(), details);
            }
        }
        return needsPerson(t, action, what + "; " + MAX_RESTORES + " restores in a row (" + restored + ") each met "
                + "another write right below", details);
    }

    private static ItemResult needsPerson(ObjectTask t, String action, String why, Map<String, Object> details) {
        return ReencryptService.result(t, action, Outcome.CRITICAL, why + ": the current version does not hold the "
                + "newest write's properties, needs a person", details);
    }

    /**
     * Reads back what the write created and compares it with what the plan carried. In a bucket without versions,
     * another ETag (or a later LastModified) on top means a newer write replaced ours: not a difference of ours.
     */
    private ItemResult verify(ObjectTask t, String action, ObjectState expected, CopyPlan plan,
                              S3Gateway.Written written, String reason, String verified, Map<String, Object> details) {
        if (!config.verifyAfterWrite()) {
            return ReencryptService.result(t, action, Outcome.CHANGED, reason, details);
        }
        HeadResult after = s3.head(t.bucket(), t.key(), written.versionId());
        if (after.state() != null) {
            details.put("after", after.state().describeEncryption());
        }
        if (after.state() == null) {
            return ReencryptService.result(t, action, Outcome.SKIPPED, "changed since event: our write was "
                    + (written.versionId() == null ? "replaced" : "deleted") + " before the verification ("
                    + after.presence() + ")", details);
        }
        ObjectState now = after.state();
        boolean notOurs = written.etag() != null && !written.etag().equals(now.etag())
                || written.lastModified() != null && now.lastModified() != null
                && now.lastModified().isAfter(written.lastModified())
                // S3 answered that ours is SSE-KMS under the target key and never changes that by itself.
                || written.encryptedWith(config.targetKeyArn()) && !(now.encryption() == Encryption.SSE_KMS
                && config.targetKeyArn().equals(now.kmsKeyId()));
        if (written.versionId() == null && notOurs) {
            return ReencryptService.result(t, action, Outcome.SKIPPED, "changed since event: a newer write replaced "
                    + "our copy before the verification (ETag " + written.etag() + " -> " + after.state().etag()
                    + "); the newer write is kept and its own event re-checks it", details);
        }
        Map<String, String> afterTags = null;
        if (plan.tags() != null) {
            afterTags = after.state().tagCount() == 0 ? Map.of()
                    : s3.tags(t.bucket(), t.key(), written.versionId());
        }
        ObjectAcl afterAcl = plan.grants() != null ? s3.acl(t.bucket(), t.key(), written.versionId()) : null;
        List<String> differences = WriteVerification.copyDifferences(expected, plan, after, afterTags, afterAcl,
                config.targetKeyArn(), config.bucketKeyEnabled());
        if (!differences.isEmpty() && written.versionId() == null && plan.method() == Action.COPY
                && WriteVerification.copyDifferences(WriteVerification.withCopiedProperties(expected, after.state()),
                plan, after, afterTags, afterAcl, config.targetKeyArn(), config.bucketKeyEnabled()).isEmpty()) {
            // CopyObject copies metadata, content headers, tags and checksum from the object as it is at the write:
            // different ones there came from a write that landed after our last read, not from our copy.
            details.put("differences", differences);
            return ReencryptService.result(t, action, Outcome.SKIPPED, "changed since event: a write landed between "
                    + "our last read and our copy, whose metadata reached the copy (" + String.join("; ", differences)
                    + "); in a bucket without versions S3 shows no more of it: if it also changed the storage class, "
                    + "website redirect or ACL, those were set back to the values read before (see README, residual "
                    + "window)", details);
        }
        if (!differences.isEmpty()) {
            details.put("differences", differences);
            return ReencryptService.result(t, action, Outcome.CRITICAL, "verification after the write found "
                    + "differences: " + String.join("; ", differences), details);
        }
        return ReencryptService.result(t, action, Outcome.CHANGED, reason + "; " + verified, details);
    }
}
