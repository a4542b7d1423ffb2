package dev.atrest.kms;

import java.time.Instant;

/**
 * What GetKeyRotationStatus says.
 *
 * @param periodDays null when rotation is off (and from KMS versions before rotation periods existed)
 * @param nextRotation null when rotation is off
 */
public record RotationStatus(boolean enabled, Integer periodDays, Instant nextRotation) {
    /** The period KMS applies: keys enabled before custom periods existed rotate yearly. */
    public int effectivePeriodDays() {
        return periodDays == null ? RotationConfig.KMS_DEFAULT_PERIOD : periodDays;
    }
}
