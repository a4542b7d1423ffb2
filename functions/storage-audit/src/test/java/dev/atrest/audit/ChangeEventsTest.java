package dev.atrest.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrest.core.json.Json;
import dev.atrest.core.json.MalformedEventException;
import dev.atrest.testing.EventFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The events that audit one resource, from the sample events in events/: what each names and which checks it asks,
 * the same finding resource id a scheduled audit gives, the ones that name nothing, and the template's rules
 * listing exactly the events the parser acts on.
 */
class ChangeEventsTest {
    static final String ACCOUNT = "123456789012";
    static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    static AuditTrigger parse(String file) {
        return AuditTrigger.parse(EventFiles.json(EventFiles.text(file)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ebs-volume-created.json                          | arn:aws:ec2:us-east-1:123456789012:volume/vol-0123456789abcdef0 | ebs-volume-encrypted",
        "cloudtrail-create-snapshot.json                  | arn:aws:ec2:us-east-1::snapshot/snap-0123456789abcdef0 | ebs-snapshot-encrypted",
        "cloudtrail-copy-snapshot.json                    | arn:aws:ec2:us-east-1::snapshot/snap-0bbbbbbbbbbbbbbbb | ebs-snapshot-encrypted",
        "cloudtrail-disable-ebs-encryption-by-default.json | AWS::::Account:123456789012 | ebs-default-encryption",
        "cloudtrail-modify-ebs-default-kms-key-id.json    | AWS::::Account:123456789012 | ebs-default-encryption",
        "cloudtrail-reset-ebs-default-kms-key-id.json     | AWS::::Account:123456789012 | ebs-default-encryption",
        "cloudtrail-efs-create-file-system.json           | arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0 | efs-encrypted",
        "cloudtrail-fsx-create-file-system.json           | arn:aws:fsx:us-east-1:123456789012:file-system/fs-0123456789abcdef0 | fsx-file-system-key",
        "cloudtrail-fsx-create-file-system-from-backup.json | arn:aws:fsx:us-east-1:123456789012:file-system/fs-0fedcba9876543210 | fsx-file-system-key",
        "cloudtrail-fsx-create-backup.json                | arn:aws:fsx:us-east-1:123456789012:backup/backup-0123456789abcdef0 | fsx-backup-key",
        "cloudtrail-fsx-copy-backup.json                  | arn:aws:fsx:us-east-1:123456789012:backup/backup-0bbbbbbbbbbbbbbbb | fsx-backup-key",
        "cloudtrail-create-bucket.json                    | arn:aws:s3:::example-data | s3-bucket-default-kms,s3-bucket-blocks-sse-c",
        "cloudtrail-put-bucket-encryption.json            | arn:aws:s3:::example-data | s3-bucket-default-kms,s3-bucket-blocks-sse-c",
        "cloudtrail-delete-bucket-encryption.json         | arn:aws:s3:::example-data | s3-bucket-default-kms,s3-bucket-blocks-sse-c",
        "cloudtrail-schedule-key-deletion.json            | " + KEY + " | kms-key-protects-data",
        "cloudtrail-disable-key.json                      | " + KEY + " | kms-key-protects-data",
        "cloudtrail-delete-imported-key-material.json     | " + KEY + " | kms-key-protects-data",
        "cloudtrail-import-key-material.json              | " + KEY + " | kms-key-protects-data",
        "cloudtrail-cancel-key-deletion.json              | " + KEY + " | kms-key-protects-data,kms-key-policy-not-public",
        "cloudtrail-enable-key.json                       | " + KEY + " | kms-key-protects-data,kms-key-policy-not-public",
        "cloudtrail-put-key-policy.json                   | " + KEY + " | kms-key-policy-not-public",
        "cloudtrail-connect-custom-key-store.json         | arn:aws:kms:us-east-1:123456789012:custom-key-store/cks-1234567890abcdef0 | kms-custom-key-store-connected",
        "cloudtrail-disconnect-custom-key-store.json      | arn:aws:kms:us-east-1:123456789012:custom-key-store/cks-1234567890abcdef0 | kms-custom-key-store-connected",
        "cloudtrail-update-custom-key-store.json          | arn:aws:kms:us-east-1:123456789012:custom-key-store/cks-1234567890abcdef0 | kms-custom-key-store-connected",
    })
    void eachSampleNamesItsResourceAndChecks(String file, String resourceId, String checks) {
        AuditTrigger trigger = parse(file);
        assertThat(trigger.change()).isTrue();
        assertThat(trigger.outOfScope(ACCOUNT, "us-east-1")).isEmpty();
        assertThat(trigger.target().resourceId("aws", "us-east-1", ACCOUNT)).isEqualTo(resourceId);
        assertThat(trigger.target().checkIds()).containsExactly(checks.split(","));
        // Every check named exists, and (but for account settings, named by the event) audits that resource.
        for (String check : trigger.target().checkIds()) {
            assertThat(AuditFixture.CHECKS.byId(check)).as(check).isPresent();
        }
        if (!resourceId.startsWith("AWS::::Account:")) {
            assertThat(AuditFixture.CHECKS.auditing(resourceId)).extracting(c -> c.id())
                    .containsAll(trigger.target().checkIds());
        }
    }

    @Test
    void everyEventTheParserActsOnHasASample() throws IOException {
        Set<String> sampled = new TreeSet<>();
        try (Stream<Path> files = Files.list(EventFiles.dir())) {
            for (Path f : files.toList()) {
                JsonNode event = EventFiles.json(Files.readString(f));
                if ("AWS API Call via CloudTrail".equals(event.path("detail-type").asText())) {
                    sampled.add(event.path("source").asText() + " " + event.path("detail").path("eventName").asText());
                }
            }
        }
        Set<String> handled = new TreeSet<>();
        ChangeEvents.eventNamesBySource().forEach((source, names) -> names.forEach(n -> handled.add(source + " " + n)));
        assertThat(sampled).containsAll(handled);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ebs-volume-creation-failed.json", "cloudtrail-disable-key-rotation-failed.json"})
    void eventsThatChangedNothingNameNothing(String file) {
        if (file.contains("rotation")) {
            // Another function's event: rejected, not acted on.
            assertThatThrownBy(() -> parse(file)).isInstanceOf(MalformedEventException.class)
                    .hasMessageContaining("does not act on kms.amazonaws.com DisableKeyRotation");
            return;
        }
        AuditTrigger trigger = parse(file);
        assertThat(trigger.change()).isTrue();
        assertThat(trigger.target()).isNull();
    }

    @Test
    void aFailedCallNamesNothingAndBadIdsAreRejectedBeforeAnyCall() {
        ObjectNode failed = (ObjectNode) EventFiles.json(EventFiles.text("cloudtrail-schedule-key-deletion.json"));
        ((ObjectNode) failed.get("detail")).put("errorCode", "AccessDenied");
        assertThat(AuditTrigger.parse(failed).target()).isNull();

        Map<String, String> hostile = new TreeMap<>(Map.of(
                "cloudtrail-create-snapshot.json", "/detail/responseElements/snapshotId",
                "cloudtrail-put-bucket-encryption.json", "/detail/requestParameters/bucketName",
                "cloudtrail-schedule-key-deletion.json", "/detail/requestParameters/keyId",
                "cloudtrail-fsx-create-backup.json", "/detail/responseElements/backup/backupId",
                "cloudtrail-disconnect-custom-key-store.json", "/detail/requestParameters/customKeyStoreId"));
        for (Map.Entry<String, String> e : hostile.entrySet()) {
            for (String bad : List.of("../../etc", "x\u202eevil", "a".repeat(3000), "snap-XYZ")) {
                ObjectNode event = (ObjectNode) EventFiles.json(EventFiles.text(e.getKey()));
                String path = e.getValue();
                ((ObjectNode) event.at(path.substring(0, path.lastIndexOf('/')))).put(
                        path.substring(path.lastIndexOf('/') + 1), bad);
                assertThatThrownBy(() -> AuditTrigger.parse(event)).as(e.getKey() + " " + bad.length())
                        .isInstanceOf(MalformedEventException.class).hasMessageNotContaining("\u202e");
            }
        }
        ObjectNode volume = (ObjectNode) EventFiles.json(EventFiles.text("ebs-volume-created.json"));
        volume.putArray("resources").add("arn:aws:ec2:us-east-1:123456789012:snapshot/snap-0123456789abcdef0");
        assertThatThrownBy(() -> AuditTrigger.parse(volume)).isInstanceOf(MalformedEventException.class);
        ObjectNode wrongSource = (ObjectNode) EventFiles.json(EventFiles.text("cloudtrail-disable-key.json"));
        wrongSource.put("source", "aws.s3");
        assertThatThrownBy(() -> AuditTrigger.parse(wrongSource)).isInstanceOf(MalformedEventException.class);
    }

    @Test
    void eventsForAnotherAccountOrRegionAreOutOfScope() {
        ObjectNode other = (ObjectNode) EventFiles.json(EventFiles.text("ebs-volume-created.json"));
        other.put("account", "999999999999");
        assertThat(AuditTrigger.parse(other).outOfScope(ACCOUNT, "us-east-1")).get().asString()
                .contains("another account");
        ObjectNode west = (ObjectNode) EventFiles.json(EventFiles.text("cloudtrail-put-bucket-encryption.json"));
        west.put("region", "eu-west-1");
        assertThat(AuditTrigger.parse(west).outOfScope(ACCOUNT, "us-east-1")).get().asString()
                .contains("another region");
    }

    /** The template's rules deliver exactly the events the parser acts on, and nothing it would reject. */
    @Test
    @SuppressWarnings("unchecked")
    void theTemplatesRulesListExactlyTheEventsTheParserActsOn() throws IOException {
        String text = Files.readString(Path.of(System.getProperty("atrest.projectDir", "../.."), "template.yaml"))
                .replaceAll("!(Ref|GetAtt|Sub|If|Equals|Not|And|Or|Select|Split|Join)\\b", "");
        Map<String, Object> template = new Yaml().load(text);
        Map<String, Object> function = (Map<String, Object>) ((Map<String, Object>) template.get("Resources"))
                .get("StorageAuditFunction");
        Map<String, Map<String, Object>> events = (Map<String, Map<String, Object>>) ((Map<String, Object>) function
                .get("Properties")).get("Events");
        Map<String, Object> volume = (Map<String, Object>) ((Map<String, Object>) events.get("VolumeCreated")
                .get("Properties")).get("Pattern");
        assertThat(volume.get("detail-type")).isEqualTo(List.of(ChangeEvents.VOLUME_NOTIFICATION));
        assertThat(volume.get("detail")).isEqualTo(Map.of("event", List.of("createVolume"),
                "result", List.of("available")));

        Map<String, Object> calls = (Map<String, Object>) ((Map<String, Object>) events.get("StorageApiCall")
                .get("Properties")).get("Pattern");
        Map<String, Object> detail = (Map<String, Object>) calls.get("detail");
        assertThat(calls.get("detail-type")).isEqualTo(List.of(ChangeEvents.CLOUDTRAIL));
        assertThat(new TreeSet<>((List<String>) calls.get("source")))
                .isEqualTo(new TreeSet<>(ChangeEvents.SOURCES.values()));
        assertThat(new TreeSet<>((List<String>) detail.get("eventSource")))
                .isEqualTo(new TreeSet<>(ChangeEvents.SOURCES.keySet()));
        Set<String> names = new TreeSet<>();
        ChangeEvents.eventNamesBySource().values().forEach(names::addAll);
        assertThat(new TreeSet<>((List<String>) detail.get("eventName"))).isEqualTo(names);
        assertThat(detail.get("errorCode")).isEqualTo(List.of(Map.of("exists", false)));
        List<String> ruleNames = new ArrayList<>(events.keySet());
        assertThat(ruleNames).containsExactlyInAnyOrder("Audit", "VolumeCreated", "StorageApiCall");
    }
}
