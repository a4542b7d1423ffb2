package dev.atrest.audit;

import static dev.atrest.audit.AuditFixture.scope;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.Json;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The measurement: 10,000 volumes, 5,000 snapshots and 1,000 file systems in one account, audited with
 * Security Hub and SNS on (dry run), twice (first import, then a re-run that reconciles). Writes the wall times and
 * the API calls counted by the emulator to target/scale-report.json. Not part of the default run (tag "scale").
 */
@Tag("scale")
@ExtendWith(EmulatorExtension.class)
class StorageAuditScaleTest {

    @Test
    void auditsSixteenThousandResources(Emulator emulator) throws Exception {
        AuditFixture fx = new AuditFixture(emulator);
        fx.hub("us-east-1").enableSecurityHub(b -> {});
        String topic = fx.clients.client("sns", Region.US_EAST_1, SnsClient::builder)
                .createTopic(b -> b.name("findings")).topicArn();
        long seedStart = System.nanoTime();
        fx.seedEc2("{\"volumes\":[{\"count\":7000,\"encrypted\":true},{\"count\":3000}],"
                + "\"snapshots\":[{\"count\":4000,\"encrypted\":true},{\"count\":1000}]}");
        fx.seedEfs("{\"fileSystems\":[{\"count\":800,\"encrypted\":true},{\"count\":200}]}");
        long seedMs = (System.nanoTime() - seedStart) / 1_000_000;
        AuditConfig config = AuditConfig.builder().regions("us-east-1").securityHubEnabled(true)
                .findingsTopicArn(topic).build();

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("seedMs", seedMs);
        for (String run : List.of("firstRun", "secondRun")) {
            emulator.clearRequests();
            long start = System.nanoTime();
            JsonNode summary = fx.run(config);
            long wallMs = (System.nanoTime() - start) / 1_000_000;
            List<Map<String, Object>> requests = emulator.requests();
            Map<String, Integer> calls = new TreeMap<>();
            double serverMs = 0;
            for (Map<String, Object> r : requests) {
                calls.merge(r.get("service") + " " + r.get("operation"), 1, Integer::sum);
                serverMs += ((Number) r.get("ms")).doubleValue();
            }
            assertThat(summary.path("errors")).isEmpty();
            assertThat(scope(summary, "us-east-1", "ebs-volume-encrypted").path("details").path("nonCompliant").asInt())
                    .isEqualTo(3000);
            assertThat(scope(summary, "us-east-1", "ebs-snapshot-encrypted").path("details").path("nonCompliant").asInt())
                    .isEqualTo(1000);
            assertThat(scope(summary, "us-east-1", "efs-encrypted").path("details").path("nonCompliant").asInt())
                    .isEqualTo(200);
            assertThat(calls).containsEntry("ec2 DescribeVolumes", 20).containsEntry("ec2 DescribeSnapshots", 5)
                    .containsEntry("elasticfilesystem GET /2015-02-01/file-systems", 10)
                    .containsEntry("securityhub POST /findings/import", 43); // 4,201 findings, 100 per call
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("wallMs", wallMs);
            r.put("apiCalls", requests.size());
            r.put("emulatorServerMs", Math.round(serverMs));
            r.put("callsByOperation", calls);
            r.put("summaryItems", summary.path("items").size());
            report.put(run, r);
        }
        Files.writeString(Path.of("target", "scale-report.json"), Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(report));
        System.out.println("SCALE REPORT " + Json.write(report));
    }
}
