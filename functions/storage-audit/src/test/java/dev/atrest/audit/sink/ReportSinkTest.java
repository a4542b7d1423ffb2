package dev.atrest.audit.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.FindingScope;
import dev.atrest.core.findings.FindingsReport;
import dev.atrest.core.findings.Severity;
import dev.atrest.core.json.Json;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The report's rows and its two encodings: the documented columns, in order, for every finding of a run. */
class ReportSinkTest {
    static final Instant NOW = Instant.parse("2026-11-27T01:02:03Z");

    static Finding finding(String check, String control, ComplianceStatus status, String resource, String reason,
            Map<String, String> details) {
        return new Finding(null, check, control, "t", Severity.CRITICAL, status, "AwsKmsKey", resource, "us-east-1",
                "123456789012", reason, "fix it", Map.of(), details, NOW);
    }

    static final Finding OPEN = finding("kms-key-protects-data", "KMS.3", ComplianceStatus.FAILED,
            "arn:aws:kms:us-east-1:123456789012:key/k", "key is disabled while 1 resource (a, \"b\") still depends",
            Map.of("dependents", "arn:aws:s3:::b", "dependentCount", "1"));
    static final Finding PASSED = finding("s3-bucket-blocks-sse-c", null, ComplianceStatus.PASSED,
            "arn:aws:s3:::=cmd", "=HYPERLINK(\"x\")", Map.of());
    static final Finding RESOLVED = finding("kms-key-policy-not-public", "KMS.5", ComplianceStatus.FAILED,
            "arn:aws:kms:us-east-1:123456789012:key/old", "was open", Map.of()).resolved("now compliant", NOW);

    static FindingsReport report(boolean historyKnown) {
        return new FindingsReport("storage-audit", NOW, true, List.of(OPEN, PASSED), List.of(RESOLVED),
                Set.of(OPEN.id()), historyKnown, Set.of(new FindingScope("us-east-1", "x")), List.of());
    }

    @Test
    void everyEvaluationAndEveryResolvedFindingIsARowWithTheDocumentedColumns() {
        List<Map<String, String>> rows = ReportSink.rows(report(true));
        assertThat(rows).hasSize(3);
        assertThat(rows).allSatisfy(r -> assertThat(r.keySet()).containsExactlyElementsOf(ReportSink.COLUMNS));
        assertThat(rows.get(0)).containsEntry("finding_id", "atrest/kms-key-protects-data/us-east-1/"
                + "arn:aws:kms:us-east-1:123456789012:key/k").containsEntry("status", "FAILED")
                .containsEntry("new", "true").containsEntry("resolved", "false").containsEntry("control_id", "KMS.3")
                .containsEntry("observed_at", "2026-11-27T01:02:03Z");
        assertThat(rows.get(1)).containsEntry("new", "false").containsEntry("control_id", "");
        assertThat(rows.get(2)).containsEntry("status", "PASSED").containsEntry("resolved", "true")
                .containsEntry("reason", "now compliant");
        // Without Security Hub nothing is known of earlier runs: "new" and "resolved" are empty, not false.
        assertThat(ReportSink.rows(report(false)).get(0)).containsEntry("new", "").containsEntry("resolved", "");
    }

    @Test
    void jsonLinesHoldOneObjectPerRowWithDetailsAsAnObject() {
        String jsonl = ReportSink.jsonLines(ReportSink.rows(report(false)));
        List<JsonNode> lines = jsonl.lines().map(l -> Json.readTree(new ByteArrayInputStream(
                l.getBytes(StandardCharsets.UTF_8)))).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).path("details").path("dependentCount").asText()).isEqualTo("1");
        assertThat(lines.get(0).get("new").isNull()).isTrue();
        assertThat(lines.get(1).get("control_id").isNull()).isTrue();
        assertThat(lines.get(0).fieldNames()).toIterable().containsExactlyElementsOf(ReportSink.COLUMNS);
    }

    @Test
    void csvQuotesWhatNeedsItAndDisarmsFormulas() {
        String csv = ReportSink.csv(ReportSink.rows(report(true)));
        List<String> lines = csv.lines().toList();
        assertThat(csv).contains("\r\n");
        assertThat(lines.get(0)).isEqualTo(String.join(",", ReportSink.COLUMNS));
        assertThat(lines.get(1)).contains(",\"key is disabled while 1 resource (a, \"\"b\"\") still depends\",")
                .endsWith(",\"{\"\"dependentCount\"\":\"\"1\"\",\"\"dependents\"\":\"\"arn:aws:s3:::b\"\"}\"");
        assertThat(lines.get(2)).contains(",arn:aws:s3:::=cmd,").contains(",\"'=HYPERLINK(\"\"x\"\")\",");
    }
}
