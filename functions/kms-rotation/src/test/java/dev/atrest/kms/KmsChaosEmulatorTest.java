package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.json.Json;
import dev.atrest.core.lambda.RetryableFailureException;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.EventFiles;
import dev.atrest.testing.SdkCallCounter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

/**
 * Chaos: 40 keys, 20% of every KMS request failing (throttling 400, 500 KMSInternalException, 500
 * InternalFailure, 503) through the emulator's fault layer with a fixed seed. A batch of CloudTrail events and then
 * the sweep are delivered the way Lambda's asynchronous invocation delivers them: an invocation that throws
 * {@link RetryableFailureException} is invoked again, up to {@value #MAX_ATTEMPTS} attempts (1 + the template's
 * EventInvokeConfig MaximumRetryAttempts of 2); after that the event goes to the failure channel (the on-failure
 * queue). Real SDK clients over HTTP; the SDK's own retry strategy does the per-request retries.
 */
@ExtendWith(EmulatorExtension.class)
class KmsChaosEmulatorTest {
    static final int MAX_ATTEMPTS = 3;
    static final long SEED = 20261127L;
    static final int PERIOD = 365;
    /** Page size 10 so the sweep's ListKeys pages are themselves hit by faults; 4 keys evaluated at a time. */
    static final RotationConfig LIVE = RotationConfig.builder().rotationPeriodDays(PERIOD).maxRotationPeriodDays(400)
            .dryRun(false).listKeysPageSize(10).build();

    /**
     * 20% in total. The layer tries its rules in order, each with its own draw, so each rate is conditional on the
     * earlier rules not firing: 10% throttling, 4% KMSInternalException, 2% InternalFailure, 4% 503.
     */
    static final String FAULTS = "{\"seed\":" + SEED + ",\"rules\":["
            + rule(0.10, 400, "ThrottlingException", "Rate exceeded") + ","
            + rule(0.04 / 0.90, 500, "KMSInternalException", "injected internal error") + ","
            + rule(0.02 / 0.86, 500, "InternalFailure", "injected internal failure") + ","
            + rule(0.04 / 0.84, 503, "ServiceUnavailable", "injected unavailability") + "]}";

    private ClientFactory clients;
    private KmsClient kms;
    private KmsClient west;

    static String rule(double rate, int status, String code, String message) {
        return "{\"service\":\"kms\",\"operation\":\"*\",\"rate\":" + rate + ",\"status\":" + status + ",\"code\":\""
                + code + "\",\"message\":\"" + message + "\"}";
    }

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

    /** What a key is expected to look like after the run. */
    enum Kind { ROTATE, COMPLIANT, EXEMPT, NOT_APPLICABLE, NOT_IN_SERVICE }

    record Seeded(String name, KeyMetadata key, Kind kind, Boolean rotationBefore, Integer periodBefore,
                  String rotatedArn) {}

    /** One event's journey: attempts made, and whether it ended in a summary or in the failure channel. */
    record Delivery(String name, int attempts, JsonNode summary, String failure) {
        boolean inFailureChannel() {
            return summary == null;
        }
    }

    // ------------------------------------------------------------------ the fleet

    private final List<Seeded> fleet = new ArrayList<>();

    private KeyMetadata add(String name, KeyMetadata key, Kind kind) {
        Boolean enabled = null;
        Integer period = null;
        if (kind != Kind.NOT_APPLICABLE) {
            GetKeyRotationStatusResponse r = kms.getKeyRotationStatus(b -> b.keyId(key.keyId()));
            enabled = r.keyRotationEnabled();
            period = r.rotationPeriodInDays();
        }
        fleet.add(new Seeded(name, key, kind, enabled, period, key.arn()));
        return key;
    }

    private KeyMetadata symmetric(Integer period) {
        KeyMetadata key = kms.createKey(b -> b.description("chaos")).keyMetadata();
        if (period != null) {
            kms.enableKeyRotation(b -> b.keyId(key.keyId()).rotationPeriodInDays(period));
        }
        return key;
    }

    /** 40 keys in us-east-1 (plus a multi-Region primary in us-west-2 reached through its replica). */
    private void seedFleet() {
        for (int i = 0; i < 11; i++) {
            add("off-" + i, symmetric(null), Kind.ROTATE);
        }
        for (int i = 0; i < 2; i++) { // rotation turned on, then off again: DisableKeyRotation events below
            KeyMetadata k = symmetric(PERIOD);
            kms.disableKeyRotation(b -> b.keyId(k.keyId()));
            add("disabled-rotation-" + i, k, Kind.ROTATE);
        }
        int[] tooLong = {401, 730, 1000, 1500, 2000, 2000, 2560, 2560};
        for (int i = 0; i < tooLong.length; i++) {
            add("too-long-" + tooLong[i] + "-" + i, symmetric(tooLong[i]), Kind.ROTATE);
        }
        int[] compliant = {90, 180, 365, 400};
        for (int days : compliant) {
            add("compliant-" + days, symmetric(days), Kind.COMPLIANT);
        }
        KeyMetadata defaultPeriod = kms.createKey(b -> b.description("chaos")).keyMetadata();
        kms.enableKeyRotation(b -> b.keyId(defaultPeriod.keyId()));
        add("compliant-default", defaultPeriod, Kind.COMPLIANT);
        add("exempt-off", kms.createKey(b -> b.tags(t -> t.tagKey("atrest:exempt").tagValue("legacy"))).keyMetadata(),
                Kind.EXEMPT);
        KeyMetadata exemptLong = kms.createKey(b -> b.tags(t -> t.tagKey("atrest:exempt").tagValue("legacy")))
                .keyMetadata();
        kms.enableKeyRotation(b -> b.keyId(exemptLong.keyId()).rotationPeriodInDays(2000));
        add("exempt-2000", exemptLong, Kind.EXEMPT);
        for (int i = 0; i < 2; i++) {
            add("rsa-" + i, kms.createKey(b -> b.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.ENCRYPT_DECRYPT))
                    .keyMetadata(), Kind.NOT_APPLICABLE);
            add("hmac-" + i, kms.createKey(b -> b.keySpec(KeySpec.HMAC_256)
                    .keyUsage(KeyUsageType.GENERATE_VERIFY_MAC)).keyMetadata(), Kind.NOT_APPLICABLE);
        }
        add("ecc-sign", kms.createKey(b -> b.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY))
                .keyMetadata(), Kind.NOT_APPLICABLE);
        add("aws-managed", kms.describeKey(b -> b.keyId("alias/aws/ebs")).keyMetadata(), Kind.NOT_APPLICABLE);
        KeyMetadata imported = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata();
        kms.importKeyMaterial(b -> b.keyId(imported.keyId()).importToken(SdkBytes.fromUtf8String("token"))
                .encryptedKeyMaterial(SdkBytes.fromUtf8String("material"))
                .expirationModel("KEY_MATERIAL_DOES_NOT_EXPIRE"));
        add("imported", imported, Kind.NOT_APPLICABLE);
        add("cloudhsm", kms.createKey(b -> b.origin(OriginType.AWS_CLOUDHSM).customKeyStoreId("cks-0123456789abcdef0"))
                .keyMetadata(), Kind.NOT_APPLICABLE);
        KeyMetadata disabled = symmetric(null);
        kms.disableKey(b -> b.keyId(disabled.keyId()));
        add("disabled-key", disabled, Kind.NOT_IN_SERVICE);
        KeyMetadata pending = symmetric(null);
        kms.scheduleKeyDeletion(b -> b.keyId(pending.keyId()).pendingWindowInDays(7));
        add("pending-deletion", pending, Kind.NOT_IN_SERVICE);
        KeyMetadata primary = kms.createKey(b -> b.multiRegion(true)).keyMetadata();
        kms.replicateKey(b -> b.keyId(primary.keyId()).replicaRegion("us-west-2"));
        add("mrk-primary", primary, Kind.ROTATE);
        KeyMetadata westPrimary = west.createKey(b -> b.multiRegion(true)).keyMetadata();
        KeyMetadata replica = west.replicateKey(b -> b.keyId(westPrimary.keyId()).replicaRegion("us-east-1"))
                .replicaKeyMetadata();
        GetKeyRotationStatusResponse primaryBefore = west.getKeyRotationStatus(b -> b.keyId(westPrimary.keyId()));
        fleet.add(new Seeded("mrk-replica-of-west", replica, Kind.ROTATE, primaryBefore.keyRotationEnabled(),
                primaryBefore.rotationPeriodInDays(), westPrimary.arn()));
        assertThat(fleet).hasSize(40);
    }

    private Seeded key(String name) {
        return fleet.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private String event(String file, String name) {
        return KmsRotationEmulatorTest.forKey(file, key(name).key().keyId());
    }

    private String enableRotationEvent(String name, int period) {
        ObjectNode event = (ObjectNode) EventFiles.json(event("cloudtrail-enable-key-rotation.json", name));
        ((ObjectNode) event.get("detail").get("requestParameters")).put("rotationPeriodInDays", period);
        return event.toString();
    }

    /** The CloudTrail batch: the calls that left keys out of policy, plus calls on keys the policy must not touch. */
    private Map<String, String> cloudTrailBatch() {
        Map<String, String> events = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            events.put("CreateKey off-" + i, event("cloudtrail-create-key.json", "off-" + i));
        }
        events.put("DisableKeyRotation 0", event("cloudtrail-disable-key-rotation.json", "disabled-rotation-0"));
        events.put("DisableKeyRotation 1", event("cloudtrail-disable-key-rotation.json", "disabled-rotation-1"));
        events.put("EnableKeyRotation 1000", enableRotationEvent("too-long-1000-2", 1000));
        events.put("EnableKeyRotation 2000", enableRotationEvent("too-long-2000-4", 2000));
        events.put("EnableKeyRotation 2560", enableRotationEvent("too-long-2560-6", 2560));
        events.put("EnableKeyRotation 180 (in policy)", enableRotationEvent("compliant-180", 180));
        events.put("ReplicateKey mrk-primary", event("cloudtrail-replicate-key.json", "mrk-primary"));
        events.put("CreateKey rsa-0", event("cloudtrail-create-key.json", "rsa-0"));
        events.put("CreateKey hmac-0", event("cloudtrail-create-key.json", "hmac-0"));
        events.put("CreateKey exempt-off", event("cloudtrail-create-key.json", "exempt-off"));
        events.put("EnableKey disabled-key (stale)", event("cloudtrail-enable-key.json", "disabled-key"));
        events.put("ImportKeyMaterial imported", event("cloudtrail-import-key-material.json", "imported"));
        events.put("CancelKeyDeletion compliant-90 (stale)", event("cloudtrail-cancel-key-deletion.json",
                "compliant-90"));
        return events;
    }

    // ------------------------------------------------------------------ Lambda's delivery

    private Delivery deliver(KmsRotationHandler handler, String name, String event) {
        String last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                JsonNode summary = KmsRotationEmulatorTest.invoke(handler, event);
                return new Delivery(name, attempt, summary, null);
            } catch (RetryableFailureException e) {
                last = e.getMessage(); // the invocation error: Lambda invokes again
            } catch (RuntimeException e) {
                fail("invocation '" + name + "' failed with an undocumented exception", e);
            }
        }
        return new Delivery(name, MAX_ATTEMPTS, null, last); // on-failure destination
    }

    private static Map<String, Object> faultStats(Emulator emulator) {
        HttpRequest get = HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/_atrest/faults")).GET().build();
        try {
            String body = HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.ofString()).body();
            return Json.MAPPER.readValue(body, new com.fasterxml.jackson.core.type.TypeReference<>() {});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ the test

    /**
     * @param sdkMaxAttempts 0: the SDK's default retry strategy (what Lambda runs); 1: SDK retries off
     *     ({@code aws.maxAttempts=1}, same as AWS_MAX_ATTEMPTS=1), so every fault reaches the function and the
     *     Lambda re-invocations, the failure channel and its redrive are exercised on every run
     */
    @ParameterizedTest(name = "SDK max attempts {0} (0 = SDK default)")
    @ValueSource(ints = {0, 1})
    void everyKeyEndsUpRotatingWithThePolicyPeriodOrTheFailureIsReported(int sdkMaxAttempts, Emulator emulator) {
        seedFleet();
        Map<String, String> batch = cloudTrailBatch();
        if (sdkMaxAttempts > 0) {
            System.setProperty("aws.maxAttempts", Integer.toString(sdkMaxAttempts));
        }
        try (ClientFactory handlerClients = new ClientFactory(Region.US_EAST_1)) {
            run(new KmsRotationHandler(LIVE, handlerClients), batch, sdkMaxAttempts, emulator);
        } finally {
            System.clearProperty("aws.maxAttempts");
        }
    }

    private void run(KmsRotationHandler handler, Map<String, String> batch, int sdkMaxAttempts, Emulator emulator) {

        emulator.post("/_atrest/faults", FAULTS);
        emulator.clearRequests();
        KmsCallLog.reset();
        long started = System.nanoTime();

        List<Delivery> deliveries = new ArrayList<>();
        batch.forEach((name, event) -> deliveries.add(deliver(handler, name, event)));
        deliveries.add(deliver(handler, "sweep", EventFiles.text("scheduled-event.json")));

        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        Map<String, Object> faults = faultStats(emulator);
        List<Map<String, Object>> log = emulator.requests().stream()
                .filter(r -> "kms".equals(r.get("service"))).toList();
        Map<String, Long> calls = KmsCallLog.COUNTS.calls();
        Map<String, Long> attempts = KmsCallLog.COUNTS.attempts();
        Map<String, Long> exhausted = KmsCallLog.COUNTS.failed();
        List<KmsCallLog.Write> writes = KmsCallLog.writes();
        emulator.post("/_atrest/faults", "{\"rules\":[]}");

        // ---- figures
        long injected = ((Number) faults.get("injected")).longValue();
        Map<Object, Long> statuses = log.stream().collect(Collectors.groupingBy(r -> r.get("status"), TreeMap::new,
                Collectors.counting()));
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, Integer> actions = new TreeMap<>();
        deliveries.stream().filter(d -> !d.inFailureChannel()).forEach(d -> d.summary().path("items").forEach(i -> {
            outcomes.merge(i.path("outcome").asText(), 1, Integer::sum);
            actions.merge(i.path("action").asText(), 1, Integer::sum);
        }));
        long reinvocations = deliveries.stream().mapToLong(d -> d.attempts() - 1).sum();
        List<String> failureChannel = deliveries.stream().filter(Delivery::inFailureChannel).map(Delivery::name)
                .toList();
        System.out.printf("CHAOS [SDK max attempts %s] seed=%d keys=%d events=%d+1 sweep, %d ms%n",
                sdkMaxAttempts == 0 ? "default" : sdkMaxAttempts, SEED, fleet.size(), batch.size(), elapsedMs);
        System.out.printf("CHAOS KMS HTTP requests (emulator log): %d, by status %s%n", log.size(), statuses);
        System.out.printf("CHAOS faults injected (GET /_atrest/faults): %s of %s matched%n", injected,
                faults.get("matched"));
        System.out.printf("CHAOS SDK logical calls %d %s%n", SdkCallCounter.total(calls), calls);
        System.out.printf("CHAOS SDK attempts %d, SDK retries %d, calls that outlived the retries %d %s%n",
                SdkCallCounter.total(attempts), SdkCallCounter.total(attempts) - SdkCallCounter.total(calls),
                SdkCallCounter.total(exhausted), exhausted);
        System.out.printf("CHAOS Lambda invocations %d (%d re-invocations after RetryableFailureException), "
                + "failure channel %s%n", deliveries.size() + reinvocations, reinvocations, failureChannel);
        deliveries.stream().filter(d -> d.attempts() > 1 || d.inFailureChannel()).forEach(d ->
                System.out.printf("CHAOS   %s: %d attempt(s)%s%n", d.name(), d.attempts(),
                        d.inFailureChannel() ? ", failure channel: " + d.failure() : ""));
        System.out.printf("CHAOS final item outcomes %s, actions %s; successful EnableKeyRotation writes %d%n",
                outcomes, actions, writes.size());

        // ---- the figures agree with each other
        assertThat(injected).as("faults were injected").isPositive();
        assertThat(SdkCallCounter.total(attempts)).as("every SDK attempt reached the emulator").isEqualTo(log.size());
        assertThat(log.stream().filter(r -> ((Number) r.get("status")).intValue() >= 400).count())
                .as("every error answer was an injected fault").isEqualTo(injected);
        assertThat(SdkCallCounter.total(attempts) - SdkCallCounter.total(calls))
                .as("each injected fault was retried by the SDK or ended a call that outlived its retries")
                .isEqualTo(injected - SdkCallCounter.total(exhausted));
        assertThat((double) injected / log.size()).as("about 20% of requests failed").isBetween(0.12, 0.28);

        // ---- every invocation ended in a clean summary or in the failure channel
        for (Delivery d : deliveries) {
            if (!d.inFailureChannel()) {
                assertThat(d.summary().path("counts").has("RETRYABLE_FAILURE")).as(d.name()).isFalse();
                assertThat(d.summary().path("counts").has("FAILED")).as(d.name()).isFalse();
                assertThat(d.summary().path("counts").has("CRITICAL")).as(d.name()).isFalse();
            } else {
                assertThat(d.attempts()).isEqualTo(MAX_ATTEMPTS);
                assertThat(d.failure()).contains("failed in a way a retry may fix");
            }
        }
        if (!KmsCallLog.COUNTS.failed().isEmpty()) {
            assertThat(reinvocations).as("a call that outlived the SDK retries failed its invocation").isPositive();
        }

        // ---- no wrong period, no write on a key the policy must not touch, never a second write
        Map<String, Seeded> byRotatedArn = fleet.stream().collect(Collectors.toMap(Seeded::rotatedArn, s -> s));
        for (KmsCallLog.Write write : writes) {
            assertThat(write.periodDays()).as("period written to " + write.keyId()).isEqualTo(PERIOD);
            assertThat(byRotatedArn.get(write.keyId())).as("write to " + write.keyId()).isNotNull()
                    .extracting(Seeded::kind).isEqualTo(Kind.ROTATE);
        }
        assertThat(writes.stream().collect(Collectors.groupingBy(KmsCallLog.Write::keyId, Collectors.counting())))
                .as("at most one successful write per key").allSatisfy((k, n) -> assertThat(n).isEqualTo(1L));

        // ---- end state after the chaos run
        boolean sweepDone = deliveries.stream().anyMatch(d -> d.name().equals("sweep") && !d.inFailureChannel());
        assertEndState(sweepDone ? List.of() : fleet.stream().filter(s -> s.kind() == Kind.ROTATE).toList(),
                failureChannel);

        // ---- what the failure channel holds is redriven once AWS is healthy again (operator or next schedule)
        if (!failureChannel.isEmpty()) {
            int before = KmsCallLog.writes().size();
            for (String name : failureChannel) {
                String event = name.equals("sweep") ? EventFiles.text("scheduled-event.json") : batch.get(name);
                assertThat(deliver(handler, name + " (redrive)", event).inFailureChannel()).isFalse();
            }
            assertEndState(List.of(), List.of());
            List<KmsCallLog.Write> redriveWrites = KmsCallLog.writes().subList(before, KmsCallLog.writes().size());
            assertThat(redriveWrites).allSatisfy(w -> assertThat(w.periodDays()).isEqualTo(PERIOD));
            System.out.printf("CHAOS redrive of %d failure-channel event(s) with AWS healthy: all succeeded, %d more "
                    + "write(s); every key now as expected%n", failureChannel.size(), redriveWrites.size());
        }
    }

    /**
     * @param mayBeUnfinished keys whose work is in the failure channel (only when the sweep itself is there)
     */
    private void assertEndState(List<Seeded> mayBeUnfinished, List<String> failureChannel) {
        for (Seeded s : fleet) {
            KmsClient client = s.rotatedArn().contains(":us-west-2:") ? west : kms;
            GetKeyRotationStatusResponse now = client.getKeyRotationStatus(b -> b.keyId(s.rotatedArn()));
            String state = kms.describeKey(b -> b.keyId(s.key().arn())).keyMetadata().keyStateAsString();
            switch (s.kind()) {
                case ROTATE -> {
                    boolean done = Boolean.TRUE.equals(now.keyRotationEnabled())
                            && Integer.valueOf(PERIOD).equals(now.rotationPeriodInDays());
                    if (mayBeUnfinished.contains(s) && !done) {
                        // Work left in the failure channel: the key is exactly as it was, never half-changed.
                        assertThat(failureChannel).as(s.name() + " left for the failure channel").isNotEmpty();
                        assertThat(now.keyRotationEnabled()).as(s.name() + " untouched").isEqualTo(s.rotationBefore());
                        assertThat(now.rotationPeriodInDays()).as(s.name() + " period untouched")
                                .isEqualTo(s.periodBefore());
                    } else {
                        assertThat(now.keyRotationEnabled()).as(s.name() + " rotates").isTrue();
                        assertThat(now.rotationPeriodInDays()).as(s.name() + " period").isEqualTo(PERIOD);
                    }
                }
                case COMPLIANT, EXEMPT -> {
                    assertThat(now.keyRotationEnabled()).as(s.name() + " unchanged").isEqualTo(s.rotationBefore());
                    assertThat(now.rotationPeriodInDays()).as(s.name() + " period unchanged")
                            .isEqualTo(s.periodBefore());
                }
                case NOT_APPLICABLE -> assertThat(state).as(s.name()).isIn("Enabled");
                case NOT_IN_SERVICE -> {
                    assertThat(state).as(s.name() + " state").isIn("Disabled", "PendingDeletion");
                    assertThat(now.keyRotationEnabled()).as(s.name() + " untouched").isFalse();
                }
            }
        }
    }
}
