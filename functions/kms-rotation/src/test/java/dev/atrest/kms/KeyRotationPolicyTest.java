package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.kms.RotationDecision.Action;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyRotationPolicyTest {
    private static final String ARN = "arn:aws:kms:us-east-1:123456789012:key/k1";
    private static final String PRIMARY = "arn:aws:kms:us-west-2:123456789012:key/mrk-1";
    /** Policy: set 365, accept up to 400, exempt tag atrest:exempt. */
    private static final KeyRotationPolicy POLICY = new KeyRotationPolicy(365, 400, "atrest:exempt");

    private static KeyFacts key(String manager, String spec, String usage, String origin, String state, String store,
                                String mrkType) {
        return new KeyFacts(ARN, "k1", "us-east-1", manager, spec, usage, origin, state, store, mrkType,
                mrkType == null ? null : PRIMARY, mrkType == null ? null : "us-west-2");
    }

    private static KeyFacts customer() {
        return key("CUSTOMER", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "AWS_KMS", "Enabled", null, null);
    }

    private static KeyFacts withState(String state) {
        return key("CUSTOMER", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "AWS_KMS", state, null, null);
    }

    private static RotationStatus on(Integer days) {
        return new RotationStatus(true, days, null);
    }

    private static final RotationStatus OFF = new RotationStatus(false, null, null);

    static Stream<Arguments> table() {
        return Stream.of(
                // row, observation, expected action, expected period, reason fragment
                Arguments.of("AWS managed", new KeyObservation(key("AWS", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT",
                        "AWS_KMS", "Enabled", null, null), null, null), Action.NOT_APPLICABLE, null, "AWS managed"),
                Arguments.of("AWS managed, even with rotation off read", new KeyObservation(key("AWS",
                        "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "AWS_KMS", "Enabled", null, null), OFF, Set.of()),
                        Action.NOT_APPLICABLE, null, "AWS rotates"),
                Arguments.of("asymmetric RSA", KeyObservation.of(key("CUSTOMER", "RSA_2048", "ENCRYPT_DECRYPT",
                        "AWS_KMS", "Enabled", null, null)), Action.NOT_APPLICABLE, null, "asymmetric"),
                Arguments.of("asymmetric signing", KeyObservation.of(key("CUSTOMER", "ECC_NIST_P256", "SIGN_VERIFY",
                        "AWS_KMS", "Enabled", null, null)), Action.NOT_APPLICABLE, null, "asymmetric"),
                Arguments.of("HMAC", KeyObservation.of(key("CUSTOMER", "HMAC_256", "GENERATE_VERIFY_MAC", "AWS_KMS",
                        "Enabled", null, null)), Action.NOT_APPLICABLE, null, "HMAC"),
                Arguments.of("imported single-Region", KeyObservation.of(key("CUSTOMER", "SYMMETRIC_DEFAULT",
                        "ENCRYPT_DECRYPT", "EXTERNAL", "Enabled", null, null)), Action.NOT_APPLICABLE, null,
                        "RotateKeyOnDemand"),
                Arguments.of("imported pending import", KeyObservation.of(key("CUSTOMER", "SYMMETRIC_DEFAULT",
                        "ENCRYPT_DECRYPT", "EXTERNAL", "PendingImport", null, null)), Action.NOT_APPLICABLE, null,
                        "imported key material"),
                Arguments.of("imported multi-Region", KeyObservation.of(key("CUSTOMER", "SYMMETRIC_DEFAULT",
                        "ENCRYPT_DECRYPT", "EXTERNAL", "Enabled", null, "PRIMARY")), Action.NOT_APPLICABLE, null,
                        "creating a new key"),
                Arguments.of("CloudHSM key store", KeyObservation.of(key("CUSTOMER", "SYMMETRIC_DEFAULT",
                        "ENCRYPT_DECRYPT", "AWS_CLOUDHSM", "Enabled", "cks-1", null)), Action.NOT_APPLICABLE, null,
                        "custom key store cks-1"),
                Arguments.of("external key store", KeyObservation.of(key("CUSTOMER", "SYMMETRIC_DEFAULT",
                        "ENCRYPT_DECRYPT", "EXTERNAL_KEY_STORE", "Enabled", "cks-2", null)), Action.NOT_APPLICABLE,
                        null, "custom key store"),
                Arguments.of("replica", KeyObservation.of(key("CUSTOMER", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT",
                        "AWS_KMS", "Enabled", null, "REPLICA")), Action.FOLLOW_PRIMARY, null, PRIMARY),
                Arguments.of("replica, even disabled", KeyObservation.of(key("CUSTOMER", "SYMMETRIC_DEFAULT",
                        "ENCRYPT_DECRYPT", "AWS_KMS", "Disabled", null, "REPLICA")), Action.FOLLOW_PRIMARY, null,
                        "primary"),
                Arguments.of("disabled", KeyObservation.of(withState("Disabled")), Action.NOT_IN_SERVICE, null,
                        "Disabled"),
                Arguments.of("pending deletion", KeyObservation.of(withState("PendingDeletion")),
                        Action.NOT_IN_SERVICE, null, "PendingDeletion"),
                Arguments.of("pending replica deletion", KeyObservation.of(withState("PendingReplicaDeletion")),
                        Action.NOT_IN_SERVICE, null, "PendingReplicaDeletion"),
                Arguments.of("unavailable", KeyObservation.of(withState("Unavailable")), Action.NOT_IN_SERVICE,
                        null, "Unavailable"),
                Arguments.of("eligible, nothing read", KeyObservation.of(customer()), Action.READ_ROTATION_STATUS,
                        null, "not read"),
                Arguments.of("multi-Region primary, nothing read", KeyObservation.of(key("CUSTOMER",
                        "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "AWS_KMS", "Enabled", null, "PRIMARY")),
                        Action.READ_ROTATION_STATUS, null, "not read"),
                Arguments.of("on at policy period", new KeyObservation(customer(), on(365), null), Action.NONE, null,
                        "every 365 days"),
                Arguments.of("on at max period", new KeyObservation(customer(), on(400), null), Action.NONE, null,
                        "at most 400"),
                Arguments.of("on, shorter than policy", new KeyObservation(customer(), on(90), null), Action.NONE,
                        null, "every 90 days"),
                Arguments.of("on without a period (yearly)", new KeyObservation(customer(), on(null), null),
                        Action.NONE, null, "every 365 days"),
                Arguments.of("compliant and exempt: no tags needed", new KeyObservation(customer(), on(365),
                        Set.of("atrest:exempt")), Action.NONE, null, "every 365"),
                Arguments.of("off, tags not read", new KeyObservation(customer(), OFF, null), Action.READ_TAGS, null,
                        "tags"),
                Arguments.of("too long, tags not read", new KeyObservation(customer(), on(401), null),
                        Action.READ_TAGS, null, "tags"),
                Arguments.of("off and exempt", new KeyObservation(customer(), OFF, Set.of("atrest:exempt", "team")),
                        Action.EXEMPT, null, "rotation off"),
                Arguments.of("too long and exempt", new KeyObservation(customer(), on(2000),
                        Set.of("atrest:exempt")), Action.EXEMPT, null, "2000 days"),
                Arguments.of("off, other tags", new KeyObservation(customer(), OFF, Set.of("atrest:exempted", "x")),
                        Action.ENABLE_ROTATION, 365, "rotation off"),
                Arguments.of("off, no tags", new KeyObservation(customer(), OFF, Set.of()), Action.ENABLE_ROTATION,
                        365, "enable it every 365 days"),
                Arguments.of("too long", new KeyObservation(customer(), on(2000), Set.of()), Action.SHORTEN_PERIOD,
                        365, "2000 days is longer"),
                Arguments.of("one day too long", new KeyObservation(customer(), on(401), Set.of()),
                        Action.SHORTEN_PERIOD, 365, "set 365"),
                Arguments.of("disabled with rotation off: still no write", new KeyObservation(withState("Disabled"),
                        OFF, Set.of()), Action.NOT_IN_SERVICE, null, "no write"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String row, KeyObservation seen, Action action, Integer period, String reasonFragment) {
        RotationDecision decision = POLICY.decide(seen);
        assertThat(decision.action()).as(row).isEqualTo(action);
        assertThat(decision.periodDays()).as(row).isEqualTo(period);
        assertThat(decision.reason()).as(row).contains(reasonFragment);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void onlyChangesWriteAndFinalDecisionsHaveAnOutcome(String row, KeyObservation seen, Action action,
                                                        Integer period, String reasonFragment) {
        RotationDecision decision = POLICY.decide(seen);
        assertThat(decision.action().writes()).as(row).isEqualTo(period != null);
        boolean gathersFacts = Set.of(Action.READ_ROTATION_STATUS, Action.READ_TAGS, Action.FOLLOW_PRIMARY)
                .contains(action);
        assertThat(decision.action().outcome() == null).as(row).isEqualTo(gathersFacts);
    }
}
