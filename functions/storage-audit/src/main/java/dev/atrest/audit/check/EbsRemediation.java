package dev.atrest.audit.check;

import dev.atrest.core.aws.Arns;

/**
 * Whether to turn on EBS encryption by default in a region, and with which key. Only where it is off: the audit
 * does not replace a default key someone chose.
 */
public final class EbsRemediation {
    public enum Action { NONE, ENABLE, ENABLE_WITH_KEY }

    public record Decision(Action action, String keyArn, String reason) {}

    private EbsRemediation() {}

    public static Decision decide(EbsDefaultsState state, boolean enabled, String keyArn) {
        if (!enabled) {
            return new Decision(Action.NONE, null, "ENABLE_EBS_DEFAULT_ENCRYPTION is false");
        }
        if (state.encryptionByDefault()) {
            return new Decision(Action.NONE, null, "EBS encryption by default is already on");
        }
        if (keyArn == null) {
            return new Decision(Action.ENABLE, null, "turn on EBS encryption by default with the region's default key");
        }
        String keyRegion = Arns.region(keyArn);
        if (!keyRegion.equals(state.region())) {
            return new Decision(Action.ENABLE, null, "turn on EBS encryption by default; EBS_DEFAULT_KMS_KEY_ARN is in "
                    + keyRegion + " and cannot be the default key in " + state.region());
        }
        return new Decision(Action.ENABLE_WITH_KEY, keyArn, "turn on EBS encryption by default with " + keyArn);
    }
}
