package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.json.Json;
import dev.atrest.core.json.MalformedEventException;
import dev.atrest.core.lambda.RetryableFailureException;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.EventFiles;
import dev.atrest.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.OriginType;

/** The handler end to end against the emulator: real SDK clients over HTTP, keys seeded per test. */
@ExtendWith(EmulatorExtension.class)
class KmsRotationEmulatorTest {
    static final RotationConfig LIVE = RotationConfig.builder().maxRotationPeriodDays(400).dryRun(false)
            .concurrency(2).build();
    static final RotationConfig DRY = RotationConfig.builder().maxRotationPeriodDays(400).concurrency(2).build();

    private ClientFactory clients;
    private KmsClient kms;
    private KmsClient west;

    @BeforeEach
    void setUp() {
        clients = new ClientFactory(Region.US_EAST_1);
        kms = clients.client("kms", KmsClient::builder);
        west = clients.client("kms", Region.US_WEST_2, KmsClient::builder);
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    // ------------------------------------------------------------------ helpers

    static JsonNode invoke(KmsRotationHandler handler, String event) {
        return invoke(handler, event, new TestContext("KmsRotationFunction"));
    }

    static JsonNode invoke(KmsRotationHandler handler, String event, TestContext context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
            return Json.MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    KeyMetadata symmetricKey() {
        return kms.createKey(b -> b.description("atrest test")).keyMetadata();
    }

    GetKeyRotationStatusResponse rotation(KmsClient client, String keyId) {
        return client.getKeyRotationStatus(b -> b.keyId(keyId));
    }

    static String forKey(String file, String keyId) {
        return EventFiles.text(file).replace(SampleEvents.SAMPLE_KEY, keyId).replace(SampleEvents.SAMPLE_MRK, keyId);
    }

    static Map<String, Long> kmsOperations(Emulator emulator) {
        return emulator.requests().stream().filter(r -> "kms".equals(r.get("service")))
                .collect(Collectors.groupingBy(r -> (String) r.get("operation"), TreeMap::new, Collectors.counting()));
    }

    static long kmsRequests(Emulator emulator) {
        return emulator.count("kms");
    }

    static JsonNode onlyItem(JsonNode summary) {
        assertThat(summary.path("items")).hasSize(1);
        return summary.path("items").get(0);
    }

    // ------------------------------------------------------------------ SnapStart

    @Test
    void primingSendsNothingAndTheRestoredHandlerStillFixesAKey(Emulator emulator) {
        KeyMetadata key = symmetricKey();
        emulator.clearRequests();
        KmsRotationHandler handler = new KmsRotationHandler(LIVE, clients);
        long stoppedBefore = dev.atrest.core.aws.Priming.stoppedRequests();

        handler.beforeCheckpoint(null);

        assertThat(dev.atrest.core.aws.Priming.stoppedRequests() - stoppedBefore)
                .as("DescribeKey and GetKeyRotationStatus built and stopped by priming").isEqualTo(2);
        assertThat(emulator.requests()).as("requests that reached the emulator while priming").isEmpty();
        handler.afterRestore(null);
        JsonNode item = onlyItem(invoke(handler, forKey("cloudtrail-create-key.json", key.keyId())));
        assertThat(item.path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(rotation(kms, key.keyId()).rotationPeriodInDays()).isEqualTo(365);
    }

    // ------------------------------------------------------------------ CloudTrail events

    @Test
    void createKeyEventEnablesRotationWithThePolicyPeriod(Emulator emulator) {
        KeyMetadata key = symmetricKey();
        emulator.clearRequests();
        JsonNode summary = invoke(new KmsRotationHandler(LIVE, clients), forKey("cloudtrail-create-key.json",
                key.keyId()));
        JsonNode item = onlyItem(summary);
        assertThat(item.path("resource").asText()).isEqualTo(key.arn());
        assertThat(item.path("action").asText()).isEqualTo("ENABLE_ROTATION");
        assertThat(item.path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(item.path("details").path("periodDays").asInt()).isEqualTo(365);
        assertThat(item.path("details").path("before").path("rotationEnabled").asBoolean(true)).isFalse();
        assertThat(item.path("details").path("caller").path("arn").asText())
                .isEqualTo("arn:aws:sts::123456789012:assumed-role/Admin/alice");
        // Measured: the event path costs 5 KMS requests for a key that needs fixing.
        assertThat(kmsOperations(emulator)).containsExactlyInAnyOrderEntriesOf(Map.of("DescribeKey", 1L,
                "GetKeyRotationStatus", 2L, "ListResourceTags", 1L, "EnableKeyRotation", 1L));
        GetKeyRotationStatusResponse after = rotation(kms, key.keyId());
        assertThat(after.keyRotationEnabled()).isTrue();
        assertThat(after.rotationPeriodInDays()).isEqualTo(365);
    }

    @Test
    void compliantKeyCostsTwoReadsAndNoWrite(Emulator emulator) {
        KeyMetadata key = symmetricKey();
        kms.enableKeyRotation(b -> b.keyId(key.keyId()).rotationPeriodInDays(180));
        emulator.clearRequests();
        JsonNode item = onlyItem(invoke(new KmsRotationHandler(LIVE, clients),
                forKey("cloudtrail-enable-key.json", key.keyId())));
        assertThat(item.path("outcome").asText()).isEqualTo("COMPLIANT");
        assertThat(kmsOperations(emulator)).containsExactlyInAnyOrderEntriesOf(Map.of("DescribeKey", 1L,
                "GetKeyRotationStatus", 1L));
        assertThat(rotation(kms, key.keyId()).rotationPeriodInDays()).isEqualTo(180);
    }

    @Test
    void enableKeyRotationWithATooLongPeriodIsShortened(Emulator emulator) {
        KeyMetadata key = symmetricKey();
        kms.enableKeyRotation(b -> b.keyId(key.keyId()).rotationPeriodInDays(2000));
        JsonNode item = onlyItem(invoke(new KmsRotationHandler(LIVE, clients),
                forKey("cloudtrail-enable-key-rotation.json", key.keyId())));
        assertThat(item.path("action").asText()).isEqualTo("SHORTEN_PERIOD");
        assertThat(item.path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(item.path("details").path("before").path("rotationPeriodDays").asInt()).isEqualTo(2000);
        assertThat(rotation(kms, key.keyId()).rotationPeriodInDays()).isEqualTo(365);
    }

    @Test
    void ourOwnEnableKeyRotationEventCostsNoRequest(Emulator emulator) {
        KeyMetadata key = symmetricKey();
        ObjectNode event = (ObjectNode) EventFiles.json(forKey("cloudtrail-enable-key-rotation.json", key.keyId()));
        ((ObjectNode) event.get("detail").get("requestParameters")).put("rotationPeriodInDays", 365);
        emulator.clearRequests();
        JsonNode item = onlyItem(invoke(new KmsRotationHandler(LIVE, clients), event.toString()));
        assertThat(item.path("outcome").asText()).isEqualTo("SKIPPED");
        assertThat(item.path("reason").asText()).contains("within the policy");
        assertThat(kmsRequests(emulator)).isZero();
    }

    @ParameterizedTest(name = "key named by {0}")
    @ValueSource(strings = {"id", "arn", "alias", "alias-arn"})
    void keyMayBeNamedByIdArnOrAlias(String form, Emulator emulator) {
        KeyMetadata key = symmetricKey();
        kms.createAlias(b -> b.aliasName("alias/orders").targetKeyId(key.keyId()));
        String ref = switch (form) {
            case "id" -> key.keyId();
            case "arn" -> key.arn();
            case "alias" -> "alias/orders";
            default -> "arn:aws:kms:us-east-1:123456789012:alias/orders";
        };
        ObjectNode event = (ObjectNode) EventFiles.json(EventFiles.text("cloudtrail-disable-key-rotation.json"));
        ((ObjectNode) event.get("detail").get("requestParameters")).put("keyId", ref);
        ((ObjectNode) event.get("detail")).remove("resources");
        JsonNode item = onlyItem(invoke(new KmsRotationHandler(LIVE, clients), event.toString()));
        assertThat(item.path("resource").asText()).isEqualTo(key.arn());
        assertThat(item.path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(rotation(kms, key.keyId()).keyRotationEnabled()).isTrue();
    }

    @Test
    void replicateKeyEventActsOnThePrimary(Emulator emulator) {
        KeyMetadata primary = kms.createKey(b -> b.multiRegion(true)).keyMetadata();
        kms.replicateKey(b -> b.keyId(primary.keyId()).replicaRegion("us-west-2"));
        emulator.clearRequests();
        JsonNode item = onlyItem(invoke(new KmsRotationHandler(LIVE, clients),
                forKey("cloudtrail-replicate-key.json", primary.keyId())));
        assertThat(item.path("resource").asText()).isEqualTo(primary.arn());
        assertThat(item.path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(emulator.requests()).filteredOn(r -> "EnableKeyRotation".equals(r.get("operation")))
                .extracting(r -> r.get("region")).containsExactly("us-east-1");
        assertThat(rotation(west, primary.keyId()).keyRotationEnabled()).isTrue();
    }

    @Test
    void replicaFoundInARegionIsFixedOnItsPrimary(Emulator emulator) {
        KeyMetadata primary = west.createKey(b -> b.multiRegion(true)).keyMetadata();
        KeyMetadata replica = west.replicateKey(b -> b.keyId(primary.keyId()).replicaRegion("us-east-1"))
                .replicaKeyMetadata();
        emulator.clearRequests();
        JsonNode summary = invoke(new KmsRotationHandler(LIVE, clients), EventFiles.text("scheduled-event.json"));
        JsonNode item = onlyItem(summary);
        assertThat(item.path("resource").asText()).isEqualTo(primary.arn());
        assertThat(item.path("details").path("replicaArn").asText()).isEqualTo(replica.arn());
        assertThat(item.path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(emulator.requests()).filteredOn(r -> "EnableKeyRotation".equals(r.get("operation")))
                .extracting(r -> r.get("region")).containsExactly("us-west-2");
        assertThat(rotation(kms, replica.keyId()).keyRotationEnabled()).isTrue();
    }

    @Test
    void keyBackInServiceIsFixedAndCancelledDeletionIsReported(Emulator emulator) {
        KeyMetadata key = symmetricKey();
        kms.scheduleKeyDeletion(b -> b.keyId(key.keyId()).pendingWindowInDays(7));
        kms.cancelKeyDeletion(b -> b.keyId(key.keyId()));
        KmsRotationHandler handler = new KmsRotationHandler(LIVE, clients);
        emulator.clearRequests();
        JsonNode cancelled = onlyItem(invoke(handler, forKey("cloudtrail-cancel-key-deletion.json", key.keyId())));
        assertThat(cancelled.path("outcome").asText()).isEqualTo("REPORTED");
        assertThat(cancelled.path("reason").asText()).contains("Disabled");
        assertThat(kmsOperations(emulator)).containsExactlyEntriesOf(Map.of("DescribeKey", 1L));

        kms.enableKey(b -> b.keyId(key.keyId()));
        JsonNode enabled = onlyItem(invoke(handler, forKey("cloudtrail-enable-key.json", key.keyId())));
        assertThat(enabled.path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(rotation(kms, key.keyId()).keyRotationEnabled()).isTrue();
    }

    @Test
    void importedKeyMaterialIsReportedNotApplicable(Emulator emulator) {
        KeyMetadata key = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata();
        kms.importKeyMaterial(b -> b.keyId(key.keyId()).importToken(SdkBytes.fromUtf8String("token"))
                .encryptedKeyMaterial(SdkBytes.fromUtf8String("material"))
                .expirationModel("KEY_MATERIAL_DOES_NOT_EXPIRE"));
        emulator.clearRequests();
        JsonNode item = onlyItem(invoke(new KmsRotationHandler(LIVE, clients),
                forKey("cloudtrail-import-key-material.json", key.keyId())));
        assertThat(item.path("action").asText()).isEqualTo("NOT_APPLICABLE");
        assertThat(item.path("reason").asText()).contains("RotateKeyOnDemand");
        assertThat(kmsOperations(emulator)).containsExactlyEntriesOf(Map.of("DescribeKey", 1L));
    }

    @Test
    void failedCallIsIgnoredWithoutAnyRequest(Emulator emulator) {
        KeyMetadata key = symmetricKey();
        emulator.clearRequests();
        JsonNode item = onlyItem(invoke(new KmsRotationHandler(LIVE, clients),
                forKey("cloudtrail-disable-key-rotation-failed.json", key.keyId())));
        assertThat(item.path("outcome").asText()).isEqualTo("SKIPPED");
        assertThat(item.path("reason").asText()).contains("AccessDenied");
        assertThat(kmsRequests(emulator)).isZero();
        assertThat(rotation(kms, key.keyId()).keyRotationEnabled()).isFalse();
    }

    @Test
    void keyDeletedBeforeHandlingIsSkippedAndPendingDeletionReported(Emulator emulator) {
        String gone = "0f0e0d0c-0b0a-4909-8807-060504030201";
        KmsRotationHandler handler = new KmsRotationHandler(LIVE, clients);
        JsonNode missing = onlyItem(invoke(handler, forKey("cloudtrail-disable-key-rotation.json", gone)));
        assertThat(missing.path("outcome").asText()).isEqualTo("SKIPPED");
        assertThat(missing.path("reason").asText()).contains("no longer exists");

        KeyMetadata key = symmetricKey();
        kms.scheduleKeyDeletion(b -> b.keyId(key.keyId()).pendingWindowInDays(7));
        JsonNode pending = onlyItem(invoke(handler, forKey("cloudtrail-disable-key-rotation.json", key.keyId())));
        assertThat(pending.path("outcome").asText()).isEqualTo("REPORTED");
        assertThat(pending.path("reason").asText()).contains("PendingDeletion");
        assertThat(emulator.count("kms", "EnableKeyRotation")).isZero();
    }

    @Test
    void dryRunEventReportsWithoutWriting(Emulator emulator) {
        KeyMetadata key = symmetricKey();
        emulator.clearRequests();
        JsonNode summary = invoke(new KmsRotationHandler(DRY, clients),
                forKey("cloudtrail-disable-key-rotation.json", key.keyId()));
        assertThat(summary.path("dryRun").asBoolean()).isTrue();
        JsonNode item = onlyItem(summary);
        assertThat(item.path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(item.path("reason").asText()).startsWith("dry run, not changed");
        assertThat(emulator.count("kms", "EnableKeyRotation")).isZero();
        assertThat(rotation(kms, key.keyId()).keyRotationEnabled()).isFalse();
    }

    @Test
    void exemptKeyIsReportedNotChanged(Emulator emulator) {
        KeyMetadata key = kms.createKey(b -> b.tags(t -> t.tagKey("atrest:exempt").tagValue("legacy app")))
                .keyMetadata();
        JsonNode item = onlyItem(invoke(new KmsRotationHandler(LIVE, clients),
                forKey("cloudtrail-create-key.json", key.keyId())));
        assertThat(item.path("action").asText()).isEqualTo("EXEMPT");
        assertThat(emulator.count("kms", "EnableKeyRotation")).isZero();
        assertThat(rotation(kms, key.keyId()).keyRotationEnabled()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not json", "[]", "{\"source\":\"aws.kms\",\"detail-type\":\"AWS API Call via CloudTrail\"}",
        "{\"source\":\"aws.kms\",\"detail-type\":\"AWS API Call via CloudTrail\",\"detail\":{\"eventName\":"
            + "\"DisableKeyRotation\",\"awsRegion\":\"us-east-1\",\"requestParameters\":{\"keyId\":\"a b\"}}}"})
    void malformedEventsFailClearlyWithoutAnyRequest(String event, Emulator emulator) {
        symmetricKey();
        emulator.clearRequests();
        KmsRotationHandler handler = new KmsRotationHandler(LIVE, clients);
        assertThatThrownBy(() -> invoke(handler, event)).isInstanceOf(MalformedEventException.class)
                .hasMessageMatching("(?s).*(JSON|detail|invalid KMS key|not a JSON object).*");
        assertThat(kmsRequests(emulator)).isZero();
    }

    @Test
    void lambdaInitFromTheEnvironmentDefaultsToDryRun(Emulator emulator) {
        KeyMetadata off = symmetricKey();
        JsonNode summary = invoke(new KmsRotationHandler(), EventFiles.text("scheduled-event.json"));
        assertThat(summary.path("dryRun").asBoolean()).isTrue();
        assertThat(onlyItem(summary).path("resource").asText()).isEqualTo(off.arn());
        assertThat(emulator.count("kms", "EnableKeyRotation")).isZero();
    }

    // ------------------------------------------------------------------ the sweep

    @Test
    void sweepPagesThroughEveryKeyAndFixesOnlyWhatThePolicyWants(Emulator emulator) {
        KeyMetadata compliant = symmetricKey();
        kms.enableKeyRotation(b -> b.keyId(compliant.keyId()).rotationPeriodInDays(365));
        KeyMetadata off = symmetricKey();
        KeyMetadata tooLong = symmetricKey();
        kms.enableKeyRotation(b -> b.keyId(tooLong.keyId()).rotationPeriodInDays(1000));
        KeyMetadata exempt = kms.createKey(b -> b.tags(t -> t.tagKey("atrest:exempt").tagValue("x"))).keyMetadata();
        KeyMetadata rsa = kms.createKey(b -> b.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.ENCRYPT_DECRYPT))
                .keyMetadata();
        KeyMetadata hmac = kms.createKey(b -> b.keySpec(KeySpec.HMAC_256).keyUsage(KeyUsageType.GENERATE_VERIFY_MAC))
                .keyMetadata();
        KeyMetadata disabled = symmetricKey();
        kms.disableKey(b -> b.keyId(disabled.keyId()));
        KeyMetadata awsManaged = kms.describeKey(b -> b.keyId("alias/aws/ebs")).keyMetadata();
        KeyMetadata hsm = kms.createKey(b -> b.origin(OriginType.AWS_CLOUDHSM).customKeyStoreId("cks-0123456789abcdef0"))
                .keyMetadata();

        RotationConfig pagedBy2 = RotationConfig.builder().maxRotationPeriodDays(400).dryRun(false)
                .listKeysPageSize(2).concurrency(3).build();
        emulator.clearRequests();
        JsonNode summary = invoke(new KmsRotationHandler(pagedBy2, clients),
                "{\"detail-type\":\"Scheduled Event\",\"source\":\"atrest.scheduler\",\"detail\":{\"task\":\"rotation-sweep\"}}");

        Map<String, String> actions = new TreeMap<>();
        summary.path("items").forEach(i -> actions.put(i.path("resource").asText(), i.path("action").asText()));
        assertThat(actions).containsExactlyInAnyOrderEntriesOf(Map.of(
                compliant.arn(), "NONE",
                off.arn(), "ENABLE_ROTATION",
                tooLong.arn(), "SHORTEN_PERIOD",
                exempt.arn(), "EXEMPT",
                rsa.arn(), "NOT_APPLICABLE",
                hmac.arn(), "NOT_APPLICABLE",
                disabled.arn(), "NOT_IN_SERVICE",
                awsManaged.arn(), "NOT_APPLICABLE",
                hsm.arn(), "NOT_APPLICABLE"));
        assertThat(summary.path("counts").path("CHANGED").asInt()).isEqualTo(2);

        Map<String, Long> ops = kmsOperations(emulator);
        // 9 keys, 2 per page: 5 ListKeys calls, really paged.
        assertThat(ops.get("ListKeys")).isEqualTo(5L);
        // The AWS managed key is known from its alias/aws/ alias (one ListAliases page): 8 keys described, not 9.
        assertThat(ops.get("ListAliases")).isEqualTo(1L);
        assertThat(ops.get("DescribeKey")).isEqualTo(8L);
        // Rotation status read only for the 4 eligible keys, plus a verification read after each of the 2 writes.
        assertThat(ops.get("GetKeyRotationStatus")).isEqualTo(6L);
        // The exempt tag of the region's keys in one bulk read; each of the 2 writes first confirmed on its key.
        assertThat(emulator.count("tagging", "GetResources")).isEqualTo(1);
        assertThat(ops.get("ListResourceTags")).isEqualTo(2L);
        assertThat(ops.get("EnableKeyRotation")).isEqualTo(2L);
        System.out.printf("MEASURE sweep over %d keys: %s, total %d KMS requests (%.2f per key)%n", actions.size(),
                ops, kmsRequests(emulator), (double) kmsRequests(emulator) / actions.size());

        assertThat(rotation(kms, off.keyId()).rotationPeriodInDays()).isEqualTo(365);
        assertThat(rotation(kms, tooLong.keyId()).rotationPeriodInDays()).isEqualTo(365);
        assertThat(rotation(kms, exempt.keyId()).keyRotationEnabled()).isFalse();
        assertThat(rotation(kms, compliant.keyId()).rotationPeriodInDays()).isEqualTo(365);
    }

    @Test
    void dryRunSweepChangesNothing(Emulator emulator) {
        KeyMetadata off = symmetricKey();
        KeyMetadata tooLong = symmetricKey();
        kms.enableKeyRotation(b -> b.keyId(tooLong.keyId()).rotationPeriodInDays(2560));
        emulator.clearRequests();
        JsonNode summary = invoke(new KmsRotationHandler(DRY, clients), EventFiles.text("scheduled-event.json"));
        assertThat(summary.path("counts").path("CHANGED").asInt()).isEqualTo(2);
        assertThat(emulator.requests()).extracting(r -> r.get("operation"))
                .doesNotContain("EnableKeyRotation", "DisableKeyRotation");
        assertThat(rotation(kms, off.keyId()).keyRotationEnabled()).isFalse();
        assertThat(rotation(kms, tooLong.keyId()).rotationPeriodInDays()).isEqualTo(2560);
    }

    @Test
    void sweepNearTheTimeoutStopsAndSaysSo(Emulator emulator) {
        KeyMetadata off = symmetricKey();
        emulator.clearRequests();
        JsonNode summary = invoke(new KmsRotationHandler(LIVE, clients), EventFiles.text("scheduled-event.json"),
                new TestContext("KmsRotationFunction", KmsRotationHandler.TIME_MARGIN_MILLIS - 1));
        assertThat(summary.path("items")).isEmpty();
        assertThat(summary.path("errors").get(0).asText()).contains("stopped near the function timeout")
                .contains(off.arn());
        assertThat(kmsOperations(emulator))
                .containsExactlyInAnyOrderEntriesOf(Map.of("ListAliases", 1L, "ListKeys", 1L));
    }

    @Test
    void listKeysFailureMakesTheSweepRetryable(Emulator emulator) {
        symmetricKey();
        emulator.post("/_atrest/faults", "{\"rules\":[{\"service\":\"kms\",\"operation\":\"ListKeys\","
                + "\"count\":-1,\"status\":500,\"code\":\"KMSInternalException\",\"message\":\"boom\"}]}");
        KmsRotationHandler handler = new KmsRotationHandler(LIVE, clients);
        assertThatThrownBy(() -> invoke(handler, EventFiles.text("scheduled-event.json")))
                .isInstanceOf(RetryableFailureException.class);
        assertThat(emulator.count("kms", "DescribeKey")).isZero();
    }

    // ------------------------------------------------------------------ throttling

    @Test
    void throttlingFromKmsIsRetriedByTheSdk(Emulator emulator) {
        KeyMetadata key = symmetricKey();
        emulator.post("/_atrest/faults", "{\"rules\":[{\"service\":\"kms\",\"operation\":\"EnableKeyRotation\","
                + "\"count\":2,\"status\":400,\"code\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}]}");
        emulator.clearRequests();
        JsonNode item = onlyItem(invoke(new KmsRotationHandler(LIVE, clients),
                forKey("cloudtrail-disable-key-rotation.json", key.keyId())));
        assertThat(item.path("outcome").asText()).isEqualTo("CHANGED");
        List<Object> statuses = emulator.requests().stream()
                .filter(r -> "EnableKeyRotation".equals(r.get("operation"))).map(r -> r.get("status")).toList();
        assertThat(statuses).containsExactly(400, 400, 200);
        assertThat(rotation(kms, key.keyId()).keyRotationEnabled()).isTrue();
    }

    @Test
    void throttlingThatOutlivesTheRetriesFailsTheInvocationWithoutWriting(Emulator emulator) {
        KeyMetadata key = symmetricKey();
        emulator.post("/_atrest/faults", "{\"rules\":[{\"service\":\"kms\",\"operation\":\"GetKeyRotationStatus\","
                + "\"count\":-1,\"status\":400,\"code\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}]}");
        emulator.clearRequests();
        KmsRotationHandler handler = new KmsRotationHandler(LIVE, clients);
        String event = forKey("cloudtrail-disable-key-rotation.json", key.keyId());
        assertThatThrownBy(() -> invoke(handler, event)).isInstanceOf(RetryableFailureException.class)
                .hasMessageContaining("1 item(s)");
        // The SDK's default retry strategy made every attempt (4 with the default legacy mode), then gave up.
        assertThat(emulator.count("kms", "GetKeyRotationStatus")).isGreaterThanOrEqualTo(3);
        assertThat(emulator.requests()).filteredOn(r -> "GetKeyRotationStatus".equals(r.get("operation")))
                .extracting(r -> r.get("status")).containsOnly(400);
        assertThat(emulator.count("kms", "EnableKeyRotation")).isZero();
    }
}
