package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ApiCallTriageTest {
    private static final RotationConfig CONFIG = RotationConfig.builder().maxRotationPeriodDays(400).build();
    private static final Caller ALICE = new Caller("AssumedRole", "arn:aws:sts::123456789012:assumed-role/Admin/alice",
            "AROA:alice", "123456789012", null);

    private static KeyApiCall call(String name, Integer period, String errorCode) {
        return new KeyApiCall(name, "e1", "2026-11-20T09:00:00Z", "us-east-1", "k1", period, errorCode,
                errorCode == null ? null : "denied", ALICE);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(call("CreateKey", null, null), null),
                Arguments.of(call("DisableKeyRotation", null, null), null),
                Arguments.of(call("ReplicateKey", null, null), null),
                Arguments.of(call("CancelKeyDeletion", null, null), null),
                Arguments.of(call("EnableKey", null, null), null),
                Arguments.of(call("ImportKeyMaterial", null, null), null),
                Arguments.of(call("EnableKeyRotation", 2000, null), null),
                Arguments.of(call("EnableKeyRotation", 401, null), null),
                Arguments.of(call("EnableKeyRotation", 400, null), "within the policy"),
                Arguments.of(call("EnableKeyRotation", 90, null), "every 90 days"),
                Arguments.of(call("EnableKeyRotation", null, null), "every 365 days"),
                Arguments.of(call("DisableKeyRotation", null, "AccessDenied"), "failed (AccessDenied: denied)"),
                Arguments.of(call("CreateKey", null, "LimitExceededException"), "nothing changed"),
                Arguments.of(call("EnableKeyRotation", 2000, "ValidationException"), "failed"),
                Arguments.of(call("ScheduleKeyDeletion", null, null), "cannot change"),
                Arguments.of(call("Decrypt", null, null), "ignored"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void triages(KeyApiCall call, String skipFragment) {
        var skip = ApiCallTriage.skipReason(call, CONFIG);
        if (skipFragment == null) {
            assertThat(skip).isEmpty();
        } else {
            assertThat(skip).hasValueSatisfying(reason -> assertThat(reason).contains(skipFragment));
        }
    }

    @ParameterizedTest(name = "max {0}: default-period EnableKeyRotation skipped = {1}")
    @org.junit.jupiter.params.provider.CsvSource({"365, true", "364, false", "2560, true"})
    void enableWithoutPeriodMeansKmsDefault(int max, boolean skipped) {
        RotationConfig config = RotationConfig.builder().rotationPeriodDays(Math.min(max, 365))
                .maxRotationPeriodDays(max).exemptTagKey("x").build();
        assertThat(ApiCallTriage.skipReason(call("EnableKeyRotation", null, null), config).isPresent())
                .isEqualTo(skipped);
    }
}
