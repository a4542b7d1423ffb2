package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.EventFiles;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * The sweep's exempt tags read in bulk (GetResources), and the one rule that keeps that safe: a key is only changed
 * after its own tags (ListResourceTags) say it is not exempt.
 */
@ExtendWith(EmulatorExtension.class)
class BulkExemptionEmulatorTest {
    static final RotationConfig LIVE = RotationConfig.builder().dryRun(false).concurrency(2).build();
    static final RotationConfig DRY = LIVE.toBuilder().dryRun(true).build();
    static final String EXEMPT = RotationConfig.DEFAULT_EXEMPT_TAG_KEY;

    private ClientFactory clients;
    private KmsClient kms;

    @BeforeEach
    void setUp() {
        clients = new ClientFactory(Region.US_EAST_1);
        kms = clients.client("kms", KmsClient::builder);
        TaggingCallHook.clear();
    }

    @AfterEach
    void tearDown() {
        TaggingCallHook.clear();
        clients.close();
    }

    KeyMetadata key(String... tags) {
        return kms.createKey(b -> {
            b.description("bulk tags");
            if (tags.length > 0) {
                b.tags(java.util.Arrays.stream(tags).map(t -> software.amazon.awssdk.services.kms.model.Tag.builder()
                        .tagKey(t).tagValue("v").build()).toList());
            }
        }).keyMetadata();
    }

    JsonNode sweep(RotationConfig config) {
        return KmsRotationEmulatorTest.invoke(new KmsRotationHandler(config, clients),
                EventFiles.text("scheduled-event.json"));
    }

    static Map<String, JsonNode> byResource(JsonNode summary) {
        Map<String, JsonNode> items = new HashMap<>();
        summary.path("items").forEach(i -> items.put(i.path("resource").asText(), i));
        return items;
    }

    boolean rotates(KeyMetadata key) {
        return kms.getKeyRotationStatus(b -> b.keyId(key.keyId())).keyRotationEnabled();
    }

    @Test
    void untaggedTaggedAndExemptKeysAreToldApartByOneBulkRead(Emulator emulator) {
        KeyMetadata untagged = key();
        KeyMetadata tagged = key("team", "cost-centre");
        KeyMetadata exempt = key(EXEMPT, "team");
        emulator.clearRequests();

        Map<String, JsonNode> items = byResource(sweep(LIVE));

        assertThat(items.get(untagged.arn()).path("action").asText()).isEqualTo("ENABLE_ROTATION");
        assertThat(items.get(tagged.arn()).path("action").asText()).isEqualTo("ENABLE_ROTATION");
        assertThat(items.get(exempt.arn()).path("action").asText()).isEqualTo("EXEMPT");
        assertThat(items.get(exempt.arn()).path("details").path("tagsReadBy").asText()).isEqualTo("GetResources");
        assertThat(items.get(untagged.arn()).path("details").path("exemptionConfirmed").asBoolean()).isTrue();
        assertThat(rotates(untagged)).isTrue();
        assertThat(rotates(tagged)).isTrue();
        assertThat(rotates(exempt)).isFalse();
        // One bulk read; the exempt key costs no per-key tag read; each of the two writes is confirmed first.
        assertThat(emulator.count("tagging", "GetResources")).isEqualTo(1);
        assertThat(emulator.count("kms", "ListResourceTags")).isEqualTo(2);
        assertThat(emulator.count("kms", "EnableKeyRotation")).isEqualTo(2);
    }

    @Test
    void aKeyTaggedExemptAfterTheBulkReadIsNotChanged(Emulator emulator) {
        KeyMetadata late = key();
        KeyMetadata other = key();
        // The bulk read said "not exempt"; by the time the sweep would write, the key carries the tag.
        TaggingCallHook.afterNextGetResources(() -> kms.tagResource(b -> b.keyId(late.keyId())
                .tags(t -> t.tagKey(EXEMPT).tagValue("just now"))));
        emulator.clearRequests();

        Map<String, JsonNode> items = byResource(sweep(LIVE));

        JsonNode item = items.get(late.arn());
        assertThat(item.path("action").asText()).isEqualTo("EXEMPT");
        assertThat(item.path("details").path("exemptionConfirmed").asBoolean()).isTrue();
        assertThat(rotates(late)).isFalse();
        assertThat(KmsCallLog.writes()).noneMatch(w -> w.keyId().contains(late.keyId()));
        assertThat(items.get(other.arn()).path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(rotates(other)).isTrue();
    }

    @Test
    void anExemptTagRemovedAfterTheBulkReadLeavesTheKeyAloneUntilTheNextSweep(Emulator emulator) {
        KeyMetadata freed = key(EXEMPT);
        TaggingCallHook.afterNextGetResources(() -> kms.untagResource(b -> b.keyId(freed.keyId()).tagKeys(EXEMPT)));

        JsonNode first = byResource(sweep(LIVE)).get(freed.arn());
        assertThat(first.path("action").asText()).isEqualTo("EXEMPT");
        assertThat(rotates(freed)).isFalse();

        JsonNode second = byResource(sweep(LIVE)).get(freed.arn());
        assertThat(second.path("action").asText()).isEqualTo("ENABLE_ROTATION");
        assertThat(rotates(freed)).isTrue();
    }

    @Test
    void aDryRunRestsOnTheBulkReadAlone(Emulator emulator) {
        for (int i = 0; i < 5; i++) {
            key();
        }
        KeyMetadata exempt = key(EXEMPT);
        emulator.clearRequests();

        JsonNode summary = sweep(DRY);

        assertThat(summary.path("counts").path("CHANGED").asInt()).isEqualTo(5);
        assertThat(byResource(summary).get(exempt.arn()).path("action").asText()).isEqualTo("EXEMPT");
        assertThat(emulator.count("tagging", "GetResources")).isEqualTo(1);
        assertThat(emulator.count("kms", "ListResourceTags")).isZero();
        assertThat(emulator.count("kms", "EnableKeyRotation")).isZero();
    }

    @Test
    void aCompliantRegionCostsNoTagReadAtAll(Emulator emulator) {
        KeyMetadata key = key(EXEMPT);
        kms.enableKeyRotation(b -> b.keyId(key.keyId()).rotationPeriodInDays(365));
        emulator.clearRequests();

        assertThat(byResource(sweep(LIVE)).get(key.arn()).path("outcome").asText()).isEqualTo("COMPLIANT");
        assertThat(emulator.count("tagging")).isZero();
        assertThat(emulator.count("kms", "ListResourceTags")).isZero();
    }

    @Test
    void aFailedBulkReadFallsBackToEachKeysOwnTags(Emulator emulator) {
        KeyMetadata off = key();
        KeyMetadata exempt = key(EXEMPT);
        emulator.post("/_atrest/faults", "{\"rules\":[{\"service\":\"tagging\",\"operation\":\"GetResources\","
                + "\"count\":-1,\"status\":400,\"code\":\"AccessDeniedException\",\"message\":\"not allowed\"}]}");
        emulator.clearRequests();

        JsonNode summary = sweep(LIVE);

        Map<String, JsonNode> items = byResource(summary);
        assertThat(items.get(off.arn()).path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(items.get(exempt.arn()).path("action").asText()).isEqualTo("EXEMPT");
        assertThat(items.get(exempt.arn()).path("details").path("tagsReadBy").asText()).isEqualTo("ListResourceTags");
        assertThat(rotates(exempt)).isFalse();
        assertThat(summary.path("errors")).hasSize(1);
        assertThat(summary.path("errors").get(0).asText()).contains("bulk tag read of us-east-1 failed")
                .contains("AccessDenied");
        assertThat(emulator.count("tagging", "GetResources")).isEqualTo(1);
        assertThat(emulator.count("kms", "ListResourceTags")).isEqualTo(2);
    }

    @Test
    void theEventPathReadsItsKeysOwnTags(Emulator emulator) {
        KeyMetadata exempt = key(EXEMPT);
        emulator.clearRequests();
        JsonNode item = KmsRotationEmulatorTest.onlyItem(KmsRotationEmulatorTest.invoke(
                new KmsRotationHandler(LIVE, clients),
                KmsRotationEmulatorTest.forKey("cloudtrail-create-key.json", exempt.keyId())));
        assertThat(item.path("action").asText()).isEqualTo("EXEMPT");
        assertThat(emulator.count("tagging")).isZero();
        assertThat(emulator.count("kms", "ListResourceTags")).isEqualTo(1);
    }
}
