package dev.atrest.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.audit.check.EbsVolumeCheck;
import dev.atrest.audit.check.RunContext;
import dev.atrest.audit.check.VolumeState;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.FindingScope;
import dev.atrest.core.findings.FindingsReport;
import dev.atrest.core.findings.MetricsLogSink;
import dev.atrest.core.json.Json;
import dev.atrest.core.lambda.Invocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The EMF side of core's metrics sink (this module's surefire sets AWS_EMF_ENVIRONMENT=Local: EMF to stdout). */
class MetricsLogSinkTest {

    @Test
    void writesOneEmfDocumentPerCheckAndRegion() throws Exception {
        RunContext context = new RunContext("123456789012", "aws", Instant.now(), AuditConfig.builder().build());
        EbsVolumeCheck volumes = new EbsVolumeCheck(null);
        Finding east = volumes.evaluate(new VolumeState("vol-a", "arn:vol-a", "us-east-1", false, null, List.of(),
                java.util.Map.of()), context);
        Finding eastOk = volumes.evaluate(new VolumeState("vol-b", "arn:vol-b", "us-east-1", true, null, List.of(),
                java.util.Map.of()), context);
        FindingScope west = new FindingScope("eu-west-1", "ebs-volume-encrypted");
        FindingsReport report = new FindingsReport("storage-audit", Instant.now(), true, List.of(east, eastOk), List.of(),
                Set.of(east.id()), true, Set.of(east.scope(), west), List.of());

        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            new MetricsLogSink(Invocation.metrics()).publish(report);
        } finally {
            System.setOut(original);
        }

        List<JsonNode> documents = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{") && line.contains("\"_aws\"")) {
                documents.add(Json.MAPPER.readTree(line));
            }
        }
        assertThat(documents).hasSize(2);
        JsonNode eastDoc = documents.stream().filter(d -> d.path("Region").asText().equals("us-east-1")).findFirst()
                .orElseThrow();
        assertThat(eastDoc.path("Check").asText()).isEqualTo("ebs-volume-encrypted");
        assertThat(eastDoc.path("NonCompliantResources").asDouble()).isEqualTo(1.0);
        assertThat(eastDoc.path("CompliantResources").asDouble()).isEqualTo(1.0);
        assertThat(eastDoc.path("NewFindings").asDouble()).isEqualTo(1.0);
        JsonNode westDoc = documents.stream().filter(d -> d.path("Region").asText().equals("eu-west-1")).findFirst()
                .orElseThrow();
        assertThat(westDoc.path("NonCompliantResources").asDouble()).isZero();
    }
}
