package dev.atrest.kms;

import dev.atrest.core.summary.ItemResult.Outcome;

/**
 * What the policy decided for a key, and why.
 *
 * @param periodDays the period to set, for {@link Action#ENABLE_ROTATION} and {@link Action#SHORTEN_PERIOD}
 */
public record RotationDecision(Action action, Integer periodDays, String reason) {

    public enum Action {
        /** Rotation is off: turn it on with the policy's period. */
        ENABLE_ROTATION(Outcome.CHANGED),
        /** Rotation is on but less often than the policy allows: set the policy's period. */
        SHORTEN_PERIOD(Outcome.CHANGED),
        /** Already compliant: no write. */
        NONE(Outcome.COMPLIANT),
        /** The rotation status is needed to decide. */
        READ_ROTATION_STATUS(null),
        /** The tags are needed to decide (only for keys that would be changed). */
        READ_TAGS(null),
        /** A multi-Region replica: rotation is set on, and read from, its primary key. */
        FOLLOW_PRIMARY(null),
        /** The key type cannot rotate automatically, or AWS rotates it. */
        NOT_APPLICABLE(Outcome.SKIPPED),
        /** The key is tagged as exempt. */
        EXEMPT(Outcome.SKIPPED),
        /** The key is not in service (Disabled, PendingDeletion, PendingImport...): reported, no write. */
        NOT_IN_SERVICE(Outcome.REPORTED);

        private final Outcome outcome;

        Action(Outcome outcome) {
            this.outcome = outcome;
        }

        /** The summary outcome of a final decision; null for the steps that only gather facts. */
        public Outcome outcome() {
            return outcome;
        }

        public boolean writes() {
            return this == ENABLE_ROTATION || this == SHORTEN_PERIOD;
        }
    }

    static RotationDecision of(Action action, String reason) {
        return new RotationDecision(action, null, reason);
    }
}
