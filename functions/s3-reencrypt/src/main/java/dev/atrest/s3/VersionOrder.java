package dev.atrest.s3;

import java.util.List;
import java.util.Objects;

/**
 * In a versioned bucket, where our new version sits among the newest versions of its key. A copy is conditioned on
 * the ETag it read, and a write that changes only metadata, content type, tags or storage class keeps that ETag: such
 * a write can land between our read and our write, and ours would then bring the older properties back over it.
 * The version list shows it: the version right below ours must be the one we read. Pure.
 */
public final class VersionOrder {
    private VersionOrder() {}

    /** One entry of ListObjectVersions for the key, newest first; "null" version ids are null. */
    public record Entry(String versionId, boolean deleteMarker) {}

    public enum Verdict {
        /** Ours is the newest version and the one right below it is the one we read (or none is left). */
        AS_EXPECTED,
        /** Someone wrote after us: the newest write wins, ours is history. */
        NEWER_ON_TOP,
        /** Another write landed between the version we read and ours: ours brought older properties back. */
        INTERLEAVED
    }

    public record Check(Verdict verdict, Entry other) {}

    /**
     * @param newestFirst the key's newest entries (two are enough), versions and delete markers together
     * @param ours the version our write created
     * @param expectedBelow the version we read (null for the "null" version)
     */
    public static Check check(List<Entry> newestFirst, String ours, String expectedBelow) {
        if (newestFirst.isEmpty() || !ours.equals(newestFirst.get(0).versionId())) {
            return new Check(Verdict.NEWER_ON_TOP, newestFirst.isEmpty() ? null : newestFirst.get(0));
        }
        if (newestFirst.size() < 2) {
            return new Check(Verdict.AS_EXPECTED, null);
        }
        Entry below = newestFirst.get(1);
        if (!below.deleteMarker() && Objects.equals(below.versionId(), expectedBelow)) {
            return new Check(Verdict.AS_EXPECTED, null);
        }
        return new Check(Verdict.INTERLEAVED, below);
    }
}
