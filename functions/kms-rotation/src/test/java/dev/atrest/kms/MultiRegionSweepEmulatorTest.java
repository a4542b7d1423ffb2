package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.config.RegionSelection;
import dev.atrest.core.lambda.RetryableFailureException;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.EventFiles;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.account.AccountClient;
import software.amazon.awssdk.services.account.model.RegionOptStatus;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** REGIONS: a sweep covers several Regions at once, each its own scope; key events act in their own Region only. */
@ExtendWith(EmulatorExtension.class)
class MultiRegionSweepEmulatorTest {
    static final RotationConfig EAST_AND_WEST = RotationConfig.builder().dryRun(false).concurrency(2)
            .regions(RegionSelection.of("us-east-1", "eu-west-1")).build();

    private ClientFactory clients;

    @BeforeEach
    void setUp() {
        clients = new ClientFactory(Region.US_EAST_1);
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    KmsClient kms(String region) {
        return clients.client("kms", Region.of(region), KmsClient::builder);
    }

    KeyMetadata keyIn(String region) {
        return kms(region).createKey(b -> b.description("multi-region")).keyMetadata();
    }

    boolean rotates(KeyMetadata key) {
        return kms(Arn.region(key.arn())).getKeyRotationStatus(b -> b.keyId(key.keyId())).keyRotationEnabled();
    }

    JsonNode sweep(RotationConfig config) {
        return KmsRotationEmulatorTest.invoke(new KmsRotationHandler(config, clients),
                EventFiles.text("scheduled-event.json"));
    }

    static Map<String, String> outcomes(JsonNode summary) {
        return java.util.stream.StreamSupport.stream(summary.path("items").spliterator(), false).collect(
                Collectors.toMap(i -> i.path("resource").asText(), i -> i.path("outcome").asText()));
    }

    static Set<Object> regionsOf(Emulator emulator, String operation) {
        return emulator.requests().stream().filter(r -> operation.equals(r.get("operation")))
                .map(r -> r.get("region")).collect(Collectors.toSet());
    }

    @Test
    void eachRegionIsSweptAndFixedInPlace(Emulator emulator) {
        KeyMetadata east = keyIn("us-east-1");
        KeyMetadata west = keyIn("eu-west-1");
        KeyMetadata elsewhere = keyIn("ap-south-1");
        emulator.clearRequests();

        JsonNode summary = sweep(EAST_AND_WEST);

        assertThat(outcomes(summary)).containsOnly(Map.entry(east.arn(), "CHANGED"), Map.entry(west.arn(), "CHANGED"));
        assertThat(rotates(east)).isTrue();
        assertThat(rotates(west)).isTrue();
        assertThat(rotates(elsewhere)).isFalse();
        assertThat(regionsOf(emulator, "ListKeys")).containsExactlyInAnyOrder("us-east-1", "eu-west-1");
        assertThat(regionsOf(emulator, "EnableKeyRotation")).containsExactlyInAnyOrder("us-east-1", "eu-west-1");
        assertThat(regionsOf(emulator, "GetResources")).containsExactlyInAnyOrder("us-east-1", "eu-west-1");
        assertThat(emulator.count("tagging", "GetResources")).isEqualTo(2);
        assertThat(emulator.count("account")).as("a listed Region needs no ListRegions").isZero();
    }

    @Test
    void aRegionThatFailsIsReportedAndTheOthersAreSwept(Emulator emulator) {
        KeyMetadata east = keyIn("us-east-1");
        keyIn("eu-west-1");
        // As an opted-out Region answers: the credentials are not valid there.
        emulator.post("/_atrest/faults", "{\"rules\":[{\"service\":\"kms\",\"region\":\"eu-west-1\",\"count\":-1,"
                + "\"status\":400,\"code\":\"UnrecognizedClientException\",\"message\":\"The security token included "
                + "in the request is invalid.\"}]}");

        JsonNode summary = sweep(EAST_AND_WEST);

        Map<String, String> outcomes = outcomes(summary);
        assertThat(outcomes).containsEntry(east.arn(), "CHANGED").containsEntry("kms:ListKeys:eu-west-1", "FAILED");
        assertThat(rotates(east)).isTrue();
    }

    @Test
    void aThrottledRegionFailsTheInvocationOnlyAfterTheOthersAreDone(Emulator emulator) {
        KeyMetadata east = keyIn("us-east-1");
        KeyMetadata west = keyIn("eu-west-1");
        emulator.post("/_atrest/faults", "{\"rules\":[{\"service\":\"kms\",\"operation\":\"ListKeys\","
                + "\"region\":\"eu-west-1\",\"count\":-1,\"status\":400,\"code\":\"ThrottlingException\","
                + "\"message\":\"Rate exceeded\"}]}");
        KmsRotationHandler handler = new KmsRotationHandler(EAST_AND_WEST, clients);

        assertThatThrownBy(() -> KmsRotationEmulatorTest.invoke(handler, EventFiles.text("scheduled-event.json")))
                .isInstanceOf(RetryableFailureException.class)
                .hasMessageContaining("{\"CHANGED\":1,\"RETRYABLE_FAILURE\":1}");
        assertThat(rotates(east)).isTrue();
        assertThat(rotates(west)).isFalse();
    }

    @Test
    void allMeansEveryRegionEnabledForTheAccount(Emulator emulator) {
        KeyMetadata east = keyIn("us-east-1");
        KeyMetadata sydney = keyIn("ap-southeast-2");
        KeyMetadata optedOut = keyIn("ap-east-1");
        Set<String> enabled = clients.client("account", AccountClient::builder).listRegionsPaginator(b -> b
                        .regionOptStatusContains(RegionOptStatus.ENABLED, RegionOptStatus.ENABLED_BY_DEFAULT))
                .regions().stream().map(software.amazon.awssdk.services.account.model.Region::regionName)
                .collect(Collectors.toSet());
        emulator.clearRequests();

        JsonNode summary = sweep(EAST_AND_WEST.toBuilder().regions(RegionSelection.allEnabled()).build());

        assertThat(outcomes(summary)).containsOnly(Map.entry(east.arn(), "CHANGED"),
                Map.entry(sydney.arn(), "CHANGED"));
        assertThat(rotates(optedOut)).isFalse();
        assertThat(enabled).contains("us-east-1", "ap-southeast-2").doesNotContain("ap-east-1", "cn-north-1");
        assertThat(regionsOf(emulator, "ListKeys")).isEqualTo(Set.copyOf(enabled));
        assertThat(emulator.count("account", "ListRegions")).isEqualTo(1);
        // Only the two Regions with a key to change read their exempt tags.
        assertThat(regionsOf(emulator, "GetResources")).containsExactlyInAnyOrder("us-east-1", "ap-southeast-2");
        assertThat(summary.path("errors")).isEmpty();
    }

    @Test
    void regionsThatCannotBeListedStopTheSweepBeforeAnyKey(Emulator emulator) {
        keyIn("us-east-1");
        emulator.post("/_atrest/faults", "{\"rules\":[{\"service\":\"account\",\"count\":-1,\"status\":400,"
                + "\"code\":\"AccessDeniedException\",\"message\":\"not authorized\"}]}");
        emulator.clearRequests();

        JsonNode summary = sweep(EAST_AND_WEST.toBuilder().regions(RegionSelection.allEnabled()).build());

        assertThat(outcomes(summary)).containsOnly(Map.entry("account:ListRegions", "FAILED"));
        assertThat(emulator.count("kms")).isZero();
    }

    @Test
    void aReplicaWhosePrimaryIsSweptIsLeftToThePrimarysRegion(Emulator emulator) {
        KeyMetadata primary = kms("eu-west-1").createKey(b -> b.multiRegion(true)).keyMetadata();
        KeyMetadata replica = kms("eu-west-1").replicateKey(b -> b.keyId(primary.keyId()).replicaRegion("us-east-1"))
                .replicaKeyMetadata();
        emulator.clearRequests();

        JsonNode summary = sweep(EAST_AND_WEST);

        assertThat(outcomes(summary)).containsOnly(Map.entry(primary.arn(), "CHANGED"),
                Map.entry(replica.arn(), "SKIPPED"));
        assertThat(emulator.count("kms", "EnableKeyRotation")).isEqualTo(1);
        assertThat(regionsOf(emulator, "EnableKeyRotation")).containsExactly("eu-west-1");
        assertThat(rotates(replica)).isTrue();
        // Outside the swept Regions, the replica still leads to its primary, as before.
        JsonNode eastOnly = sweep(EAST_AND_WEST.toBuilder().regions(RegionSelection.HOME).build());
        assertThat(outcomes(eastOnly)).containsOnly(Map.entry(primary.arn(), "COMPLIANT"));
    }

    @Test
    void keyEventsActInTheirOwnCoveredRegionOnly(Emulator emulator) {
        KeyMetadata west = keyIn("eu-west-1");
        KeyMetadata south = keyIn("ap-south-1");
        KmsRotationHandler handler = new KmsRotationHandler(EAST_AND_WEST, clients);
        emulator.clearRequests();

        JsonNode covered = KmsRotationEmulatorTest.onlyItem(KmsRotationEmulatorTest.invoke(handler,
                KmsRotationEmulatorTest.forKey("cloudtrail-create-key.json", west.keyId())
                        .replace("us-east-1", "eu-west-1")));
        assertThat(covered.path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(regionsOf(emulator, "EnableKeyRotation")).containsExactly("eu-west-1");
        assertThat(emulator.count("tagging")).isZero();

        emulator.clearRequests();
        JsonNode outside = KmsRotationEmulatorTest.onlyItem(KmsRotationEmulatorTest.invoke(handler,
                KmsRotationEmulatorTest.forKey("cloudtrail-create-key.json", south.keyId())
                        .replace("us-east-1", "ap-south-1")));
        assertThat(outside.path("action").asText()).isEqualTo("IGNORE_EVENT");
        assertThat(outside.path("reason").asText()).contains("another region").contains("us-east-1, eu-west-1");
        assertThat(emulator.requests()).isEmpty();
        assertThat(rotates(south)).isFalse();
    }

    /** The Region of a key ARN. */
    private static final class Arn {
        static String region(String arn) {
            return software.amazon.awssdk.arns.Arn.fromString(arn).region().orElseThrow();
        }
    }
}
