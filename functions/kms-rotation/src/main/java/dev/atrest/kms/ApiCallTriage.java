package dev.atrest.kms;

import java.util.Optional;
import java.util.Set;

/**
 * Decides, from the CloudTrail record alone, whether a KMS call needs the key to be looked at. Calls that cannot
 * have left a key out of policy cost no KMS request; this also ends the loop of our own EnableKeyRotation calls,
 * which CloudTrail reports back with the policy's period.
 */
public final class ApiCallTriage {
    /** The calls that can leave a key without rotation, or bring a key into service that may lack it. */
    public static final Set<String> RELEVANT_CALLS = Set.of("CreateKey", "DisableKeyRotation", "EnableKeyRotation",
            "ReplicateKey", "CancelKeyDeletion", "EnableKey", "ImportKeyMaterial");

    private ApiCallTriage() {}

    /** Empty when the key must be evaluated; otherwise why not. */
    public static Optional<String> skipReason(KeyApiCall call, RotationConfig config) {
        if (call.errorCode() != null) {
            return Optional.of(call.eventName() + " failed (" + call.errorCode()
                    + (call.errorMessage() == null ? "" : ": " + call.errorMessage()) + "): nothing changed");
        }
        if (!RELEVANT_CALLS.contains(call.eventName())) {
            return Optional.of(call.eventName() + " cannot change a key's rotation: ignored");
        }
        if ("EnableKeyRotation".equals(call.eventName())) {
            int period = call.requestedPeriodDays() == null ? RotationConfig.KMS_DEFAULT_PERIOD
                    : call.requestedPeriodDays();
            if (period <= config.maxRotationPeriodDays()) {
                return Optional.of("EnableKeyRotation set rotation every " + period + " days, within the policy (at most "
                        + config.maxRotationPeriodDays() + ")");
            }
        }
        return Optional.empty();
    }
}
