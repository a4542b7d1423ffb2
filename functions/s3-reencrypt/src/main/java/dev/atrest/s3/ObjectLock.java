package dev.atrest.s3;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Object Lock settings of one object version, as HeadObject shows them (the role needs s3:GetObjectRetention and
 * s3:GetObjectLegalHold for HeadObject to show them at all). A copy never carries them: a new version has what its
 * write asks for, or the bucket's default retention.
 *
 * @param mode GOVERNANCE, COMPLIANCE, another value S3 may add one day, or null
 * @param retainUntil when the retention ends; null without one
 * @param legalHold legal hold ON
 * @param eventHold Object Lock event hold ON (protected while the hold lasts, then for its duration)
 */
public record ObjectLock(String mode, Instant retainUntil, boolean legalHold, boolean eventHold) {
    public static final ObjectLock NONE = new ObjectLock(null, null, false, false);
    static final String GOVERNANCE = "GOVERNANCE";
    static final String COMPLIANCE = "COMPLIANCE";

    public ObjectLock {
        mode = mode == null || mode.isBlank() ? null : mode;
    }

    public boolean retentionInForce(Instant now) {
        return mode != null && retainUntil != null && retainUntil.isAfter(now);
    }

    /** True when the version cannot be overwritten in place or deleted: what UpdateObjectEncryption refuses. */
    public boolean locked(Instant now) {
        return legalHold || eventHold || retentionInForce(now);
    }

    /** A mode this function knows how to set again; any other one is left to a person. */
    public boolean knownMode() {
        return mode == null || GOVERNANCE.equals(mode) || COMPLIANCE.equals(mode);
    }

    /** The settings a new version must be written with to be at least as protected as this one is at {@code now}. */
    public ObjectLock toCarry(Instant now) {
        return retentionInForce(now) ? new ObjectLock(mode, retainUntil, legalHold, false)
                : new ObjectLock(null, null, legalHold, false);
    }

    public boolean none() {
        return mode == null && !legalHold && !eventHold;
    }

    private static int strength(String mode) {
        return COMPLIANCE.equals(mode) ? 2 : GOVERNANCE.equals(mode) ? 1 : 0;
    }

    /**
     * Where this version is less protected than {@code wanted}: a weaker mode, an earlier retain-until date, no legal
     * hold where one was wanted. More protection (say, a bucket default retention that lasts longer) is no shortfall.
     */
    public List<String> shortfalls(ObjectLock wanted) {
        List<String> out = new ArrayList<>();
        if (wanted.mode() != null) {
            if (strength(mode) < strength(wanted.mode())) {
                out.add("Object Lock mode " + mode + ", expected " + wanted.mode());
            }
            if (retainUntil == null || retainUntil.isBefore(wanted.retainUntil())) {
                out.add("Object Lock retain-until " + retainUntil + ", expected " + wanted.retainUntil());
            }
        }
        if (wanted.legalHold() && !legalHold) {
            out.add("legal hold OFF, expected ON");
        }
        if (wanted.eventHold() && !eventHold) {
            out.add("event hold OFF, expected ON");
        }
        return out;
    }

    /** How the summary names it, e.g. "COMPLIANCE until 2030-01-01T00:00:00Z, legal hold". */
    public String describe() {
        if (none()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        if (mode != null) {
            parts.add(mode + " until " + retainUntil);
        }
        if (legalHold) {
            parts.add("legal hold");
        }
        if (eventHold) {
            parts.add("event hold");
        }
        return String.join(", ", parts);
    }

    boolean sameAs(ObjectLock other) {
        return Objects.equals(mode, other.mode) && Objects.equals(retainUntil, other.retainUntil)
                && legalHold == other.legalHold && eventHold == other.eventHold;
    }
}
