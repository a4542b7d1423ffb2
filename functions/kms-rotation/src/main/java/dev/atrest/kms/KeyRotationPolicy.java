package dev.atrest.kms;

import dev.atrest.kms.RotationDecision.Action;

/**
 * The rotation policy: from what is known about a key, the next step (read more, or a final action) with its reason.
 * Pure; the checks run from the cheapest facts (DescribeKey) to the dearest (tags), so reading stops as soon as the
 * answer is certain.
 */
public final class KeyRotationPolicy {
    private final int periodDays;
    private final int maxPeriodDays;
    private final String exemptTagKey;

    public KeyRotationPolicy(int periodDays, int maxPeriodDays, String exemptTagKey) {
        this.periodDays = periodDays;
        this.maxPeriodDays = maxPeriodDays;
        this.exemptTagKey = exemptTagKey;
    }

    public static KeyRotationPolicy of(RotationConfig config) {
        return new KeyRotationPolicy(config.rotationPeriodDays(), config.maxRotationPeriodDays(), config.exemptTagKey());
    }

    public RotationDecision decide(KeyObservation seen) {
        KeyFacts key = seen.key();
        if ("AWS".equals(key.keyManager())) {
            return RotationDecision.of(Action.NOT_APPLICABLE, "AWS managed key: AWS rotates it every year");
        }
        // Allow-lists from here on: a value this code does not know (a new KMS enum value, a field missing from the
        // response) never leads to a write.
        if (!"CUSTOMER".equals(key.keyManager())) {
            return RotationDecision.of(Action.NOT_APPLICABLE, "key manager '" + key.keyManager()
                    + "' is not CUSTOMER: not changed");
        }
        if (key.keySpec() == null) {
            return RotationDecision.of(Action.NOT_APPLICABLE, "DescribeKey reported no key spec: not changed");
        }
        String spec = key.keySpec();
        if (spec.startsWith("HMAC_") || "GENERATE_VERIFY_MAC".equals(key.keyUsage())) {
            return RotationDecision.of(Action.NOT_APPLICABLE,
                    "HMAC key (" + spec + "): automatic rotation is not supported; rotate by creating a new key");
        }
        if (!"SYMMETRIC_DEFAULT".equals(spec) || !"ENCRYPT_DECRYPT".equals(key.keyUsage())) {
            return RotationDecision.of(Action.NOT_APPLICABLE, "asymmetric key (" + spec + ", " + key.keyUsage()
                    + "): automatic rotation is not supported; rotate by creating a new key");
        }
        if (key.customKeyStoreId() != null || "AWS_CLOUDHSM".equals(key.origin())
                || "EXTERNAL_KEY_STORE".equals(key.origin())) {
            return RotationDecision.of(Action.NOT_APPLICABLE, "key in custom key store " + key.customKeyStoreId()
                    + " (origin " + key.origin() + "): automatic rotation is not supported; rotate it in the key store");
        }
        if ("EXTERNAL".equals(key.origin())) {
            return RotationDecision.of(Action.NOT_APPLICABLE, key.multiRegionKeyType() == null
                    ? "imported key material: no automatic rotation; import new key material and call RotateKeyOnDemand"
                    : "imported key material in a multi-Region key: no automatic or on-demand rotation; rotate by "
                            + "creating a new key");
        }
        if (!"AWS_KMS".equals(key.origin())) {
            return RotationDecision.of(Action.NOT_APPLICABLE, "origin " + key.origin() + ": automatic rotation is not "
                    + "supported");
        }
        if ("REPLICA".equals(key.multiRegionKeyType())) {
            return RotationDecision.of(Action.FOLLOW_PRIMARY, "multi-Region replica: rotation is set on its primary "
                    + key.primaryArn());
        }
        if (key.multiRegionKeyType() != null && !"PRIMARY".equals(key.multiRegionKeyType())) {
            return RotationDecision.of(Action.NOT_APPLICABLE, "unknown multi-Region key type '"
                    + key.multiRegionKeyType() + "': not changed");
        }
        if (!"Enabled".equals(key.keyState())) {
            return RotationDecision.of(Action.NOT_IN_SERVICE, "key is " + key.keyState()
                    + ": no write; it is checked again when it is back in service");
        }
        RotationStatus rotation = seen.rotation();
        if (rotation == null) {
            return RotationDecision.of(Action.READ_ROTATION_STATUS, "rotation status not read yet");
        }
        if (rotation.enabled() && rotation.effectivePeriodDays() <= maxPeriodDays) {
            return RotationDecision.of(Action.NONE, "rotation on, every " + rotation.effectivePeriodDays()
                    + " days (policy: at most " + maxPeriodDays + ")");
        }
        if (seen.tagKeys() == null) {
            return RotationDecision.of(Action.READ_TAGS, "tags not read yet");
        }
        if (seen.tagKeys().contains(exemptTagKey)) {
            return RotationDecision.of(Action.EXEMPT, "tagged " + exemptTagKey + ": exempt from the rotation policy ("
                    + (rotation.enabled() ? "rotates every " + rotation.effectivePeriodDays() + " days" : "rotation off")
                    + ")");
        }
        if (!rotation.enabled()) {
            return new RotationDecision(Action.ENABLE_ROTATION, periodDays,
                    "rotation off: enable it every " + periodDays + " days");
        }
        return new RotationDecision(Action.SHORTEN_PERIOD, periodDays, "rotation every "
                + rotation.effectivePeriodDays() + " days is longer than the policy's " + maxPeriodDays
                + ": set " + periodDays);
    }
}
