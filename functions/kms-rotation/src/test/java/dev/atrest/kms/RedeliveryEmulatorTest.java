package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.EventFiles;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * Races: EventBridge delivers at least once and in no guaranteed order. For each scenario (a person's KMS
 * calls on a key, each recorded by CloudTrail) three keys get the same calls:
 * <ul>
 *   <li>reference: each event delivered once, right after its call (the ideal delivery);</li>
 *   <li>duplicated: each event delivered twice, right after its call;</li>
 *   <li>late and reversed: every call first, then the events newest first, each twice, plus the function's own
 *       EnableKeyRotation events (which CloudTrail reports back) twice.</li>
 * </ul>
 * All three end in the same state, the expected one, and the extra deliveries never cost an extra write: the
 * function reads the key's current state instead of trusting the event's.
 */
@ExtendWith(EmulatorExtension.class)
class RedeliveryEmulatorTest {
    static final RotationConfig LIVE = RotationConfig.builder().maxRotationPeriodDays(400).dryRun(false)
            .concurrency(2).build();

    private ClientFactory clients;
    private KmsClient kms;

    @BeforeEach
    void setUp() {
        clients = new ClientFactory(Region.US_EAST_1);
        kms = clients.client("kms", KmsClient::builder);
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    /** A person's call on the key; {@code period} only for ENABLE_ROTATION (null: KMS's default). */
    record Call(Op op, Integer period) {
        static Call of(Op op) {
            return new Call(op, null);
        }

        static Call enable(Integer period) {
            return new Call(Op.ENABLE_ROTATION, period);
        }

        @Override
        public String toString() {
            return period == null ? op.name() : op.name() + "(" + period + ")";
        }
    }

    enum Op { CREATE, DISABLE_ROTATION, ENABLE_ROTATION, DISABLE_KEY, ENABLE_KEY }

    record End(boolean rotating, Integer period, String keyState) {}

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("created, then rotation disabled", List.of(Call.of(Op.CREATE),
                        Call.of(Op.DISABLE_ROTATION)), new End(true, 365, "Enabled")),
                Arguments.of("period too long, then rotation disabled", List.of(Call.of(Op.CREATE), Call.enable(2000),
                        Call.of(Op.DISABLE_ROTATION)), new End(true, 365, "Enabled")),
                Arguments.of("rotation disabled, then enabled in policy", List.of(Call.of(Op.CREATE),
                        Call.of(Op.DISABLE_ROTATION), Call.enable(180)), new End(true, 180, "Enabled")),
                Arguments.of("in policy, then too long", List.of(Call.of(Op.CREATE), Call.enable(180),
                        Call.enable(2000)), new End(true, 365, "Enabled")),
                Arguments.of("too long, then in policy", List.of(Call.of(Op.CREATE), Call.enable(2560),
                        Call.enable(90)), new End(true, 90, "Enabled")),
                Arguments.of("too long twice", List.of(Call.of(Op.CREATE), Call.enable(1000), Call.enable(2560)),
                        new End(true, 365, "Enabled")),
                Arguments.of("disabled, enabled with KMS's default period", List.of(Call.of(Op.CREATE),
                        Call.of(Op.DISABLE_ROTATION), Call.enable(null)), new End(true, 365, "Enabled")),
                Arguments.of("rotation disabled, key disabled and enabled again", List.of(Call.of(Op.CREATE),
                        Call.of(Op.DISABLE_ROTATION), Call.of(Op.DISABLE_KEY), Call.of(Op.ENABLE_KEY)),
                        new End(true, 365, "Enabled")));
    }

    // ------------------------------------------------------------------ calls and their events

    private void apply(KeyMetadata key, Call call) {
        switch (call.op()) {
            case CREATE -> { } // the key exists already
            case DISABLE_ROTATION -> kms.disableKeyRotation(b -> b.keyId(key.keyId()));
            case ENABLE_ROTATION -> kms.enableKeyRotation(b -> b.keyId(key.keyId())
                    .rotationPeriodInDays(call.period()));
            case DISABLE_KEY -> kms.disableKey(b -> b.keyId(key.keyId()));
            case ENABLE_KEY -> kms.enableKey(b -> b.keyId(key.keyId()));
        }
    }

    /** The CloudTrail event of {@code call}; null for calls the function does not subscribe to (DisableKey). */
    static String eventOf(KeyMetadata key, Call call) {
        return switch (call.op()) {
            case CREATE -> KmsRotationEmulatorTest.forKey("cloudtrail-create-key.json", key.keyId());
            case DISABLE_ROTATION -> KmsRotationEmulatorTest.forKey("cloudtrail-disable-key-rotation.json",
                    key.keyId());
            case ENABLE_ROTATION -> enableRotationEvent(key, call.period());
            case DISABLE_KEY -> null;
            case ENABLE_KEY -> KmsRotationEmulatorTest.forKey("cloudtrail-enable-key.json", key.keyId());
        };
    }

    static String enableRotationEvent(KeyMetadata key, Integer period) {
        ObjectNode event = (ObjectNode) EventFiles.json(KmsRotationEmulatorTest.forKey(
                "cloudtrail-enable-key-rotation.json", key.keyId()));
        ObjectNode request = (ObjectNode) event.get("detail").get("requestParameters");
        if (period == null) {
            request.remove("rotationPeriodInDays");
        } else {
            request.put("rotationPeriodInDays", period);
        }
        return event.toString();
    }

    private End end(KeyMetadata key) {
        GetKeyRotationStatusResponse r = kms.getKeyRotationStatus(b -> b.keyId(key.keyId()));
        return new End(r.keyRotationEnabled(), r.keyRotationEnabled() ? r.rotationPeriodInDays() : null,
                kms.describeKey(b -> b.keyId(key.keyId())).keyMetadata().keyStateAsString());
    }

    private long writes(KeyMetadata key) {
        return KmsCallLog.writes().stream().filter(w -> w.keyId().equals(key.arn())).count();
    }

    private static void deliver(KmsRotationHandler handler, String event, int times) {
        for (int i = 0; i < times; i++) {
            JsonNode summary = KmsRotationEmulatorTest.invoke(handler, event);
            assertThat(summary.path("counts").has("FAILED")).isFalse();
            assertThat(summary.path("counts").has("CRITICAL")).isFalse();
            assertThat(summary.path("counts").has("RETRYABLE_FAILURE")).isFalse();
        }
    }

    // ------------------------------------------------------------------ the test

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void duplicateAndOutOfOrderDeliveryEndLikeOneInOrderDelivery(String scenario, List<Call> calls, End expected,
                                                                 Emulator emulator) {
        KmsRotationHandler handler = new KmsRotationHandler(LIVE, clients);
        KeyMetadata reference = kms.createKey(b -> b.description("reference")).keyMetadata();
        KeyMetadata duplicated = kms.createKey(b -> b.description("duplicated")).keyMetadata();
        KeyMetadata late = kms.createKey(b -> b.description("late and reversed")).keyMetadata();
        KmsCallLog.reset();

        for (Call call : calls) {
            apply(reference, call);
            String event = eventOf(reference, call);
            if (event != null) {
                deliver(handler, event, 1);
            }
        }
        for (Call call : calls) {
            apply(duplicated, call);
            String event = eventOf(duplicated, call);
            if (event != null) {
                deliver(handler, event, 2);
            }
        }
        List<String> lateEvents = new ArrayList<>();
        for (Call call : calls) {
            apply(late, call);
            String event = eventOf(late, call);
            if (event != null) {
                lateEvents.add(event);
            }
        }
        Collections.reverse(lateEvents);
        long ownWrites = 0;
        for (String event : lateEvents) {
            long before = writes(late);
            deliver(handler, event, 2);
            ownWrites += writes(late) - before;
        }
        // CloudTrail reports the function's own EnableKeyRotation back; it arrives late and twice too.
        emulator.clearRequests();
        for (long i = 0; i < ownWrites; i++) {
            deliver(handler, enableRotationEvent(late, LIVE.rotationPeriodDays()), 2);
        }
        assertThat(emulator.count("kms")).as("our own events cost no request").isZero();

        assertThat(end(reference)).as("reference, in order").isEqualTo(expected);
        assertThat(end(duplicated)).as("every event twice").isEqualTo(expected);
        assertThat(end(late)).as("late, newest first, twice").isEqualTo(expected);
        assertThat(writes(duplicated)).as("duplicates cost no extra write").isEqualTo(writes(reference));
        assertThat(writes(late)).as("late delivery writes at most once").isLessThanOrEqualTo(1);
        // The function names keys by ARN (the person's calls above use the bare id): every write of its own set 365.
        assertThat(KmsCallLog.writes()).filteredOn(w -> w.keyId().startsWith("arn:"))
                .allSatisfy(w -> assertThat(w.periodDays()).isEqualTo(365));
        System.out.printf("REDELIVERY %-50s writes: in order %d, duplicated %d, late+reversed %d; end %s%n", scenario,
                writes(reference), writes(duplicated), writes(late), expected);
    }
}
