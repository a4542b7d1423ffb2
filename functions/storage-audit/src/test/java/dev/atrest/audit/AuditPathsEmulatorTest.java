package dev.atrest.audit;

import static dev.atrest.audit.AuditFixture.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrest.core.json.Json;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.EventFiles;
import dev.atrest.testing.TestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.fsx.FSxClient;
import software.amazon.awssdk.services.fsx.model.FileSystemType;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.s3.model.EncryptionType;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;

/**
 * Every check on both paths against one seeded account: the scheduled audit, then the events that create or weaken
 * each kind of resource, each auditing its one resource. One finding per resource whichever path found it (the same
 * id), and resolution on either path. The requests each path sent are written to
 * {@code target/audit-paths-requests.txt}.
 */
@ExtendWith(EmulatorExtension.class)
class AuditPathsEmulatorTest {
    static final String EAST = "us-east-1";
    static final String ACCOUNT = TestContext.ACCOUNT;
    static final String OPEN_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Root\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},"
            + "{\"Sid\":\"Everyone\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"kms:Decrypt\","
            + "\"kms:GenerateDataKey\"],\"Resource\":\"*\"}]}";
    static final String CLOSED_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Root\",\"Effect\":"
            + "\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"},\"Action\":\"kms:*\","
            + "\"Resource\":\"*\"}]}";

    private AuditFixture fx;
    private Emulator emulator;
    /** Seeded resources by name, as their findings name them. */
    private final Map<String, String> r = new LinkedHashMap<>();
    private String cmk;
    private String doomed;
    private String open;
    private String expiring;
    private String reportKey;
    private String store;

    KmsClient kms() {
        return fx.kms(EAST);
    }

    FSxClient fsx() {
        return fx.clients.client("fsx", Region.US_EAST_1, FSxClient::builder);
    }

    @BeforeEach
    void seed(Emulator emulator) {
        this.emulator = emulator;
        fx = new AuditFixture(emulator);
        fx.hub(EAST).enableSecurityHub(b -> {});
        cmk = kms().createKey(b -> b.description("cmk")).keyMetadata().arn();
        doomed = kms().createKey(b -> b.description("doomed")).keyMetadata().arn();
        open = kms().createKey(b -> b.description("open").policy(OPEN_POLICY)).keyMetadata().arn();
        reportKey = kms().createKey(b -> b.description("reports")).keyMetadata().arn();
        expiring = kms().createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata().arn();
        kms().importKeyMaterial(b -> b.keyId(expiring).importToken(SdkBytes.fromUtf8String("token"))
                .encryptedKeyMaterial(SdkBytes.fromUtf8String("material"))
                .validTo(Instant.now().plus(10, ChronoUnit.DAYS)));

        List<String> volumes = ids(fx.seedEc2("{\"volumes\":[{\"count\":1,\"encrypted\":true},{\"count\":1,"
                + "\"encrypted\":true,\"kmsKeyId\":\"" + cmk + "\"},{\"count\":1,\"encrypted\":true,\"kmsKeyId\":\""
                + doomed + "\"}],\"snapshots\":[{\"count\":1,\"encrypted\":true}]}"), "volumeIds");
        String volumes_ = "arn:aws:ec2:us-east-1:" + ACCOUNT + ":volume/";
        r.put("awsVolume", volumes_ + volumes.get(0));
        r.put("cmkVolume", volumes_ + volumes.get(1));
        r.put("doomedVolume", volumes_ + volumes.get(2));
        String efs = ids(fx.seedEfs("{\"fileSystems\":[{\"count\":1,\"encrypted\":true,\"kmsKeyId\":\"" + expiring
                + "\"}]}"), "fileSystemIds").get(0);
        r.put("expiringEfs", "arn:aws:elasticfilesystem:us-east-1:" + ACCOUNT + ":file-system/" + efs);
        fx.ec2(EAST).enableEbsEncryptionByDefault(b -> {});
        fx.ec2(EAST).modifyEbsDefaultKmsKeyId(b -> b.kmsKeyId(cmk));

        fx.bucket(EAST, "aws-kms");
        fx.s3().putBucketEncryption(b -> b.bucket("aws-kms").serverSideEncryptionConfiguration(c -> c.rules(rule -> rule
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS)))));
        fx.bucket(EAST, "cmk-bucket");
        putBlocked("cmk-bucket", cmk);
        fx.bucket(EAST, "doomed-bucket");
        putBlocked("doomed-bucket", doomed);
        fx.bucket(EAST, "reports");

        r.put("fsxDefault", fsxFileSystem(FileSystemType.WINDOWS, null, null));
        r.put("fsxCmk", fsxFileSystem(FileSystemType.WINDOWS, cmk, null));
        r.put("fsxScratch", fsxFileSystem(FileSystemType.LUSTRE, null, "SCRATCH_2"));
        r.put("backupCmk", fsxBackup(r.get("fsxCmk")));
        r.put("backupDefault", fsxBackup(r.get("fsxDefault")));

        store = kms().createCustomKeyStore(b -> b.customKeyStoreName("hsm").cloudHsmClusterId("cluster-abcdefghijk")
                .trustAnchorCertificate("-----BEGIN CERTIFICATE-----").keyStorePassword("kmsuser-pw"))
                .customKeyStoreId();
        kms().connectCustomKeyStore(b -> b.customKeyStoreId(store));
        kms().createKey(b -> b.customKeyStoreId(store).origin(OriginType.AWS_CLOUDHSM));
        emulator.post("/_atrest/kms/custom-key-store-state", "{\"customKeyStoreId\":\"" + store
                + "\",\"connectionState\":\"FAILED\",\"connectionErrorCode\":\"NETWORK_ERRORS\"}");
        String idle = kms().createCustomKeyStore(b -> b.customKeyStoreName("idle")
                .cloudHsmClusterId("cluster-bcdefghijkl").trustAnchorCertificate("-----BEGIN CERTIFICATE-----")
                .keyStorePassword("kmsuser-pw")).customKeyStoreId();
        r.put("store", storeId(store));
        r.put("idleStore", storeId(idle));
        kms().scheduleKeyDeletion(b -> b.keyId(doomed).pendingWindowInDays(7));
    }

    static String storeId(String id) {
        return "arn:aws:kms:us-east-1:" + ACCOUNT + ":custom-key-store/" + id;
    }

    private void putBlocked(String bucket, String key) {
        fx.s3().putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(rule -> rule
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID(key))
                .bucketKeyEnabled(true).blockedEncryptionTypes(t -> t.encryptionType(EncryptionType.SSE_C)))));
    }

    private String fsxFileSystem(FileSystemType type, String key, String lustre) {
        return fsx().createFileSystem(b -> {
            b.fileSystemType(type).storageCapacity(1200).subnetIds("subnet-0123456789abcdef0");
            if (key != null) {
                b.kmsKeyId(key);
            }
            if (lustre != null) {
                b.lustreConfiguration(l -> l.deploymentType(lustre));
            } else {
                b.windowsConfiguration(w -> w.throughputCapacity(8));
            }
        }).fileSystem().resourceARN();
    }

    private String fsxBackup(String fileSystemArn) {
        return fsx().createBackup(b -> b.fileSystemId(fileSystemArn.substring(fileSystemArn.lastIndexOf('/') + 1)))
                .backup().resourceARN();
    }

    AuditConfig config() {
        return AuditConfig.builder().regions(EAST).securityHubEnabled(true).requireCustomerManagedKey(true)
                .reportLocation("s3://reports/atrest/").reportKmsKeyArn(reportKey).build();
    }

    static String id(String check, String resource) {
        return "atrest/" + check + "/" + EAST + "/" + resource;
    }

    /** Finding id -> "ACTIVE" or "ARCHIVED", this function's findings only. */
    Map<String, String> hub() {
        Map<String, String> out = new TreeMap<>();
        for (AwsSecurityFinding f : fx.findings(EAST).values()) {
            out.put(f.id(), f.recordStateAsString());
        }
        return out;
    }

    JsonNode schedule() {
        return measured("schedule", () -> fx.run(config(), AuditFixture.SCHEDULE, new TestContext("StorageAuditFunction")));
    }

    /** Runs one invocation, logging the requests it alone sent and how long it took. */
    JsonNode measured(String what, java.util.function.Supplier<JsonNode> run) {
        emulator.clearRequests();
        long start = System.nanoTime();
        JsonNode summary = run.get();
        long ms = (System.nanoTime() - start) / 1_000_000;
        Map<String, Long> counts = requests();
        log.add(what + ": " + counts.values().stream().mapToLong(Long::longValue).sum() + " requests in " + ms + " ms "
                + counts);
        return summary;
    }

    /** A sample event from events/, with the ids the test needs in place of the sample's. */
    JsonNode event(String file, Consumer<ObjectNode> edit) {
        ObjectNode event = (ObjectNode) EventFiles.json(EventFiles.text(file));
        event.put("time", Instant.now().toString());
        edit.accept(event);
        return measured(file + " " + event.path("detail").path("eventName").asText(event.path("detail")
                .path("event").asText()), () -> fx.run(config(), Json.write(event), new TestContext("StorageAuditFunction")));
    }

    static void set(ObjectNode event, String pointer, String value) {
        ((ObjectNode) event.at(pointer.substring(0, pointer.lastIndexOf('/')))).put(
                pointer.substring(pointer.lastIndexOf('/') + 1), value);
    }

    static String last(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    /** "Service.Operation" -> count of the requests the emulator answered since the last clear. */
    Map<String, Long> requests() {
        return emulator.requests().stream().collect(Collectors.groupingBy(q -> q.get("service") + "."
                + q.get("operation"), TreeMap::new, Collectors.counting()));
    }

    private final List<String> log = new ArrayList<>();

    void logRequests(String what) {
        log.add("-- " + what);
    }

    @Test
    void everyCheckGivesOneFindingPerResourceOnTheScheduleAndOnEventsAndResolvesOnEither() throws IOException {
        JsonNode summary = schedule();
        assertThat(summary.path("errors")).as(summary.toString()).isEmpty();

        Map<String, String> hub = hub();
        Map<String, String> expectedActive = new TreeMap<>(Map.ofEntries(
                Map.entry(id("ebs-volume-encrypted", r.get("awsVolume")), "ACTIVE"),
                Map.entry(id("s3-bucket-default-kms", "arn:aws:s3:::aws-kms"), "ACTIVE"),
                Map.entry(id("s3-bucket-blocks-sse-c", "arn:aws:s3:::aws-kms"), "ACTIVE"),
                Map.entry(id("s3-bucket-blocks-sse-c", "arn:aws:s3:::reports"), "ACTIVE"),
                Map.entry(id("s3-bucket-default-kms", "arn:aws:s3:::reports"), "ACTIVE"),
                Map.entry(id("fsx-file-system-key", r.get("fsxDefault")), "ACTIVE"),
                Map.entry(id("fsx-file-system-key", r.get("fsxScratch")), "ACTIVE"),
                Map.entry(id("fsx-backup-key", r.get("backupDefault")), "ACTIVE"),
                Map.entry(id("kms-custom-key-store-connected", r.get("store")), "ACTIVE"),
                Map.entry(id("kms-key-policy-not-public", open), "ACTIVE"),
                Map.entry(id("kms-key-protects-data", doomed), "ACTIVE"),
                Map.entry(id("kms-key-protects-data", expiring), "ACTIVE")));
        Map<String, String> active = new TreeMap<>(hub);
        active.values().removeIf(state -> !state.equals("ACTIVE"));
        active.keySet().removeIf(k -> k.contains("ebs-snapshot-encrypted"));
        assertThat(active).isEqualTo(expectedActive);
        // The snapshot the seed made under aws/ebs, and no finding of a compliant resource.
        assertThat(hub.keySet()).filteredOn(k -> k.contains("ebs-snapshot-encrypted")).hasSize(1);
        assertThat(hub.keySet()).noneMatch(k -> k.contains(r.get("fsxCmk")) || k.contains(r.get("backupCmk"))
                || k.contains("cmk-bucket") || k.contains(r.get("idleStore")) || k.contains(cmk));
        AwsSecurityFinding doomedFinding = fx.findings(EAST).get(id("kms-key-protects-data", doomed));
        assertThat(doomedFinding.description()).startsWith("key is scheduled for deletion on ")
                .contains("while 2 resources (" + r.get("doomedVolume") + ", arn:aws:s3:::doomed-bucket) still depend");
        assertThat(doomedFinding.severity().labelAsString()).isEqualTo("CRITICAL");
        assertThat(fx.findings(EAST).get(id("kms-key-protects-data", expiring)).description())
                .contains("imported key material that expires on").contains(r.get("expiringEfs"));
        assertThat(fx.findings(EAST).get(id("kms-custom-key-store-connected", r.get("store"))).description())
                .isEqualTo("custom key store is FAILED (NETWORK_ERRORS) while 1 enabled key is in it: data under them "
                        + "can be neither read nor written until it reconnects");

        // The report: every finding of the run, JSON Lines and CSV, SSE-KMS under the report key.
        List<String> reports = fx.s3().listObjectsV2(b -> b.bucket("reports").prefix("atrest/")).contents().stream()
                .map(o -> o.key()).sorted().toList();
        assertThat(reports).hasSize(2).allMatch(k -> k.matches("atrest/\\d{4}/\\d{2}/\\d{2}/\\d{6}Z-storage-audit-"
                + "[0-9a-f]{8}\\.(csv|jsonl)"));
        var head = fx.s3().headObject(b -> b.bucket("reports").key(reports.get(1)));
        assertThat(head.serverSideEncryptionAsString()).isEqualTo("aws:kms");
        assertThat(head.ssekmsKeyId()).isEqualTo(reportKey);
        String jsonl = fx.s3().getObjectAsBytes(b -> b.bucket("reports").key(reports.get(1))).asUtf8String();
        String csv = fx.s3().getObjectAsBytes(b -> b.bucket("reports").key(reports.get(0))).asUtf8String();
        int evaluated = summary.path("items").findValues("nonCompliant").stream().mapToInt(JsonNode::asInt).sum()
                + summary.path("items").findValues("compliant").stream().mapToInt(JsonNode::asInt).sum();
        assertThat(jsonl.lines()).hasSize(evaluated);
        assertThat(csv.lines()).hasSize(evaluated + 1).first().isEqualTo(String.join(",",
                dev.atrest.audit.sink.ReportSink.COLUMNS));
        assertThat(jsonl.lines().filter(l -> l.contains("\"status\":\"FAILED\"")).count())
                .isEqualTo(hub.values().stream().filter("ACTIVE"::equals).count());

        // ---- Events about resources the schedule already judged: the same finding, no new id.
        event("cloudtrail-schedule-key-deletion.json", e -> set(e, "/detail/requestParameters/keyId", last(doomed)));
        event("cloudtrail-put-key-policy.json", e -> set(e, "/detail/requestParameters/keyId", open));
        event("cloudtrail-disconnect-custom-key-store.json", e -> set(e,
                "/detail/requestParameters/customKeyStoreId", store));
        event("cloudtrail-delete-bucket-encryption.json", e -> set(e, "/detail/requestParameters/bucketName",
                "aws-kms"));
        event("cloudtrail-fsx-create-backup.json", e -> set(e, "/detail/responseElements/backup/backupId",
                last(r.get("backupDefault"))));
        logRequests("5 events about judged resources");
        assertThat(hub()).isEqualTo(hub);

        // ---- Events about new or weakened resources: a finding each, with the id the schedule gives.
        // Under the AWS managed key by name: without one, the region's default (the customer managed key) applies.
        String newVolume = fx.ec2(EAST).createVolume(b -> b.availabilityZone("us-east-1a").size(1).encrypted(true)
                .kmsKeyId("alias/aws/ebs")).volumeId();
        JsonNode volumeSummary = event("ebs-volume-created.json", e -> e.putArray("resources")
                .add("arn:aws:ec2:us-east-1:" + ACCOUNT + ":volume/" + newVolume));
        logRequests("createVolume notification");
        String newFs = fsxFileSystem(FileSystemType.OPENZFS, null, null);
        event("cloudtrail-fsx-create-file-system.json", e -> set(e, "/detail/responseElements/fileSystem/fileSystemId",
                last(newFs)));
        logRequests("FSx CreateFileSystem");
        fx.ec2(EAST).disableEbsEncryptionByDefault(b -> {});
        event("cloudtrail-disable-ebs-encryption-by-default.json", e -> {});
        logRequests("DisableEbsEncryptionByDefault");
        kms().scheduleKeyDeletion(b -> b.keyId(cmk).pendingWindowInDays(30));
        event("cloudtrail-schedule-key-deletion.json", e -> set(e, "/detail/requestParameters/keyId", cmk));
        logRequests("ScheduleKeyDeletion (a key with dependents)");

        Map<String, String> afterEvents = hub();
        String volumeFinding = id("ebs-volume-encrypted", "arn:aws:ec2:us-east-1:" + ACCOUNT + ":volume/" + newVolume);
        assertThat(afterEvents).containsEntry(volumeFinding, "ACTIVE")
                .containsEntry(id("fsx-file-system-key", newFs), "ACTIVE")
                .containsEntry(id("ebs-default-encryption", "AWS::::Account:" + ACCOUNT), "ACTIVE")
                .containsEntry(id("kms-key-protects-data", cmk), "ACTIVE");
        assertThat(AuditFixture.scope(volumeSummary, EAST, "ebs-volume-encrypted").path("details").path("cause").asText())
                .isEqualTo("createVolume");
        String cmkRisk = fx.findings(EAST).get(id("kms-key-protects-data", cmk)).description();
        // The region's EBS default no longer uses the key: it was turned off just before.
        assertThat(cmkRisk).contains("while 4 resources (" + r.get("cmkVolume") + ", " + r.get("backupCmk") + ", "
                + r.get("fsxCmk") + ", arn:aws:s3:::cmk-bucket) still depend on it");
        assertThat(fx.findings(EAST).get(id("kms-key-protects-data", cmk)).resources().get(0).details().other())
                .containsEntry("dependentCount", "4");

        // The schedule judges the same resources to the same findings: no id of its own.
        schedule();
        Map<String, String> again = hub();
        assertThat(again.keySet()).isEqualTo(afterEvents.keySet());
        assertThat(fx.findings(EAST).get(id("kms-key-protects-data", cmk)).description()).isEqualTo(cmkRisk);

        // ---- Fixes, resolved by their events.
        kms().cancelKeyDeletion(b -> b.keyId(doomed));
        kms().enableKey(b -> b.keyId(last(doomed))); // moto's EnableKey takes key ids only (an ARN: 500)
        event("cloudtrail-enable-key.json", e -> set(e, "/detail/requestParameters/keyId", last(doomed)));
        kms().putKeyPolicy(b -> b.keyId(open).policyName("default").policy(CLOSED_POLICY));
        event("cloudtrail-put-key-policy.json", e -> set(e, "/detail/requestParameters/keyId", last(open)));
        emulator.post("/_atrest/kms/custom-key-store-state", "{\"customKeyStoreId\":\"" + store
                + "\",\"connectionState\":\"CONNECTED\"}");
        event("cloudtrail-connect-custom-key-store.json", e -> set(e, "/detail/requestParameters/customKeyStoreId",
                store));
        putBlocked("aws-kms", cmk);
        event("cloudtrail-put-bucket-encryption.json", e -> set(e, "/detail/requestParameters/bucketName", "aws-kms"));
        fx.ec2(EAST).deleteVolume(b -> b.volumeId(newVolume));
        event("ebs-volume-created.json", e -> e.putArray("resources")
                .add("arn:aws:ec2:us-east-1:" + ACCOUNT + ":volume/" + newVolume));
        logRequests("5 fixes, resolved by events");

        Map<String, String> fixed = hub();
        for (String resolved : List.of(id("kms-key-protects-data", doomed), id("kms-key-policy-not-public", open),
                id("kms-custom-key-store-connected", r.get("store")), id("s3-bucket-default-kms", "arn:aws:s3:::aws-kms"),
                id("s3-bucket-blocks-sse-c", "arn:aws:s3:::aws-kms"), volumeFinding)) {
            assertThat(fixed).as(resolved).containsEntry(resolved, "ARCHIVED");
        }
        assertThat(fixed.keySet()).isEqualTo(again.keySet());

        // ---- A fix the schedule finds resolves there too.
        fsx().deleteFileSystem(b -> b.fileSystemId(last(newFs)));
        schedule();
        assertThat(hub()).containsEntry(id("fsx-file-system-key", newFs), "ARCHIVED");
        Path out = Path.of("target", "audit-paths-requests.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.join("\n", log) + "\n", StandardCharsets.UTF_8);
    }

    @Test
    void blockingSseCKeepsEachBucketsDefaultRuleExactlyAsItWas() {
        fx.bucket(EAST, "sse-s3");
        fx.s3().putBucketEncryption(b -> b.bucket("sse-s3").serverSideEncryptionConfiguration(c -> c.rules(rule -> rule
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
        fx.s3().putBucketEncryption(b -> b.bucket("aws-kms").serverSideEncryptionConfiguration(c -> c.rules(rule -> rule
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS)
                        .kmsMasterKeyID(cmk)).bucketKeyEnabled(true))));
        Map<String, ServerSideEncryptionRule> before = rules();

        JsonNode dry = fx.run(AuditConfig.builder().regions(EAST).blockSseC(true).build());
        assertThat(AuditFixture.items(dry, "BLOCK_SSE_C")).extracting(i -> i.path("outcome").asText())
                .containsOnly("CHANGED").hasSize(3); // aws-kms, reports, sse-s3: dry run
        assertThat(rules()).isEqualTo(before);

        JsonNode applied = fx.run(AuditConfig.builder().regions(EAST).blockSseC(true).dryRun(false).build());
        assertThat(AuditFixture.items(applied, "BLOCK_SSE_C")).extracting(i -> i.path("details").path("verified")
                .asBoolean()).containsExactly(true, true, true);
        Map<String, ServerSideEncryptionRule> after = rules();
        for (String bucket : List.of("aws-kms", "sse-s3", "cmk-bucket", "doomed-bucket")) {
            ServerSideEncryptionRule was = before.get(bucket);
            ServerSideEncryptionRule now = after.get(bucket);
            assertThat(now.applyServerSideEncryptionByDefault()).as(bucket)
                    .isEqualTo(was.applyServerSideEncryptionByDefault());
            assertThat(now.bucketKeyEnabled()).as(bucket).isEqualTo(was.bucketKeyEnabled());
            assertThat(now.blockedEncryptionTypes().encryptionType()).as(bucket).containsExactly(EncryptionType.SSE_C);
        }
        // A bucket without any configuration gets S3's own default, SSE-S3, with the block.
        assertThat(after.get("reports").applyServerSideEncryptionByDefault().sseAlgorithm())
                .isEqualTo(ServerSideEncryption.AES256);
        JsonNode summary = fx.run(AuditConfig.builder().regions(EAST).build());
        assertThat(AuditFixture.scope(summary, EAST, "s3-bucket-blocks-sse-c").path("nonCompliant").asInt()).isZero();
    }

    private Map<String, ServerSideEncryptionRule> rules() {
        Map<String, ServerSideEncryptionRule> out = new TreeMap<>();
        for (String bucket : List.of("aws-kms", "sse-s3", "cmk-bucket", "doomed-bucket", "reports")) {
            try {
                out.put(bucket, fx.s3().getBucketEncryption(b -> b.bucket(bucket)).serverSideEncryptionConfiguration()
                        .rules().get(0));
            } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                out.put(bucket, null);
            }
        }
        return out;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
