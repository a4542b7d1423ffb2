package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.OriginType;

/**
 * Every sample event under events/ (cloudtrail-*.json and the scheduled event) through the handler, against keys
 * seeded in the emulator in the state the event describes; the sample's key id is rewritten to the seeded key.
 * Also measures the KMS requests each costs.
 */
@ExtendWith(EmulatorExtension.class)
class SampleEventsEmulatorTest {

    /** How to seed the key a sample names, what the handler must do with it, and how many KMS requests it may make. */
    record Case(Function<KmsClient, String> seed, String action, String outcome, int kmsRequests) {}

    static final Map<String, Case> CASES = Map.of(
            "cloudtrail-create-key.json", new Case(kms -> kms.createKey(b -> {}).keyMetadata().keyId(),
                    "ENABLE_ROTATION", "CHANGED", 5),
            "cloudtrail-disable-key-rotation.json", new Case(kms -> {
                String id = kms.createKey(b -> {}).keyMetadata().keyId();
                kms.enableKeyRotation(b -> b.keyId(id));
                kms.disableKeyRotation(b -> b.keyId(id));
                return id;
            }, "ENABLE_ROTATION", "CHANGED", 5),
            "cloudtrail-disable-key-rotation-failed.json", new Case(kms -> {
                String id = kms.createKey(b -> {}).keyMetadata().keyId();
                kms.enableKeyRotation(b -> b.keyId(id));
                return id;
            }, "IGNORE_EVENT", "SKIPPED", 0),
            "cloudtrail-enable-key-rotation.json", new Case(kms -> {
                String id = kms.createKey(b -> {}).keyMetadata().keyId();
                kms.enableKeyRotation(b -> b.keyId(id).rotationPeriodInDays(2000));
                return id;
            }, "SHORTEN_PERIOD", "CHANGED", 5),
            "cloudtrail-replicate-key.json", new Case(kms -> {
                String id = kms.createKey(b -> b.multiRegion(true)).keyMetadata().keyId();
                kms.replicateKey(b -> b.keyId(id).replicaRegion("us-west-2"));
                return id;
            }, "ENABLE_ROTATION", "CHANGED", 5),
            "cloudtrail-cancel-key-deletion.json", new Case(kms -> {
                String id = kms.createKey(b -> {}).keyMetadata().keyId();
                kms.scheduleKeyDeletion(b -> b.keyId(id).pendingWindowInDays(7));
                kms.cancelKeyDeletion(b -> b.keyId(id));
                return id;
            }, "NOT_IN_SERVICE", "REPORTED", 1),
            "cloudtrail-enable-key.json", new Case(kms -> {
                String id = kms.createKey(b -> {}).keyMetadata().keyId();
                kms.disableKey(b -> b.keyId(id));
                kms.enableKey(b -> b.keyId(id));
                return id;
            }, "ENABLE_ROTATION", "CHANGED", 5),
            "cloudtrail-import-key-material.json", new Case(kms -> {
                String id = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata().keyId();
                kms.importKeyMaterial(b -> b.keyId(id).importToken(SdkBytes.fromUtf8String("t"))
                        .encryptedKeyMaterial(SdkBytes.fromUtf8String("m"))
                        .expirationModel("KEY_MATERIAL_DOES_NOT_EXPIRE"));
                return id;
            }, "NOT_APPLICABLE", "SKIPPED", 1),
            // One key without rotation: one ListKeys and one ListAliases page, plus the same five requests as the
            // event path (its tag read confirming the one bulk GetResources, a Tagging API request not counted here).
            "scheduled-event.json", new Case(kms -> kms.createKey(b -> {}).keyMetadata().keyId(),
                    "ENABLE_ROTATION", "CHANGED", 7));

    static Stream<String> samples() {
        return Stream.concat(SampleEvents.cloudTrailFiles().stream(), Stream.of("scheduled-event.json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void handlesTheSampleAgainstASeededKey(String file, Emulator emulator) {
        assertThat(CASES).as("every sample event needs a case here").containsKey(file);
        Case c = CASES.get(file);
        try (ClientFactory clients = new ClientFactory(Region.US_EAST_1)) {
            KmsClient kms = clients.client("kms", KmsClient::builder);
            String keyId = c.seed().apply(kms);
            String arn = kms.describeKey(b -> b.keyId(keyId)).keyMetadata().arn();
            emulator.clearRequests();

            JsonNode summary = KmsRotationEmulatorTest.invoke(
                    new KmsRotationHandler(KmsRotationEmulatorTest.LIVE, clients),
                    KmsRotationEmulatorTest.forKey(file, keyId));

            JsonNode item = KmsRotationEmulatorTest.onlyItem(summary);
            assertThat(item.path("action").asText()).isEqualTo(c.action());
            assertThat(item.path("outcome").asText()).isEqualTo(c.outcome());
            assertThat(item.path("resource").asText()).isEqualTo(arn);
            long requests = emulator.count("kms");
            System.out.printf("MEASURE %s: %d KMS requests %s%n", file, requests,
                    KmsRotationEmulatorTest.kmsOperations(emulator));
            assertThat(requests).isEqualTo(c.kmsRequests());
            boolean rotating = kms.getKeyRotationStatus(b -> b.keyId(keyId)).keyRotationEnabled();
            boolean expectRotating = "CHANGED".equals(c.outcome())
                    || file.equals("cloudtrail-disable-key-rotation-failed.json");
            assertThat(rotating).isEqualTo(expectRotating);
        }
    }
}
