package dev.atrest.audit.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrest.audit.aws.S3Gateway;
import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.FindingSink;
import dev.atrest.core.findings.FindingsReport;
import dev.atrest.core.json.Json;
import dev.atrest.core.summary.ItemResult;
import dev.atrest.core.summary.ItemResult.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every finding of a run, passed, failed and resolved, as two objects under the report location: JSON Lines
 * ({@code .jsonl}) and CSV ({@code .csv}), with the same columns ({@link #COLUMNS}, documented in the README; new
 * columns are only ever added at the end). Written SSE-KMS under the report key, to a bucket the audited account
 * owns. The run summary shows at most 20 resources per check; this is the whole list, without Security Hub.
 */
public final class ReportSink implements FindingSink {
    /** The report's columns, in order. Stable: never renamed, removed or reordered. */
    public static final List<String> COLUMNS = List.of("observed_at", "finding_id", "check_id", "control_id",
            "severity", "status", "new", "resolved", "region", "account_id", "resource_type", "resource_id", "reason",
            "details");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final S3Gateway s3;
    private final String bucket;
    private final String prefix;
    private final String kmsKeyArn;

    /** @param prefix "" or a key prefix ending with "/" */
    public ReportSink(S3Gateway s3, String bucket, String prefix, String kmsKeyArn) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.kmsKeyArn = kmsKeyArn;
    }

    @Override
    public String name() {
        return "report";
    }

    /** The report's rows: every evaluation of the run, then every finding it resolved. */
    public static List<Map<String, String>> rows(FindingsReport report) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Finding f : report.evaluations()) {
            out.add(row(f, report.historyKnown() && f.failed() ? Boolean.toString(report.newFindingIds()
                    .contains(f.id())) : report.historyKnown() ? "false" : "", report.historyKnown() ? "false" : ""));
        }
        for (Finding f : report.resolved()) {
            out.add(row(f, "false", "true"));
        }
        return out;
    }

    private static Map<String, String> row(Finding f, String fresh, String resolved) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("observed_at", f.observedAt().toString());
        r.put("finding_id", f.id());
        r.put("check_id", f.checkId());
        r.put("control_id", f.controlId() == null ? "" : f.controlId());
        r.put("severity", f.severity().name());
        r.put("status", f.status().name());
        r.put("new", fresh);
        r.put("resolved", resolved);
        r.put("region", f.region());
        r.put("account_id", f.accountId() == null ? "" : f.accountId());
        r.put("resource_type", f.resourceType());
        r.put("resource_id", f.resourceId());
        r.put("reason", f.reason() == null ? "" : f.reason());
        r.put("details", Json.write(f.details()));
        return r;
    }

    public static String jsonLines(List<Map<String, String>> rows) {
        StringBuilder out = new StringBuilder();
        for (Map<String, String> r : rows) {
            ObjectNode line = Json.MAPPER.createObjectNode();
            r.forEach((k, v) -> {
                if (k.equals("details")) {
                    line.set(k, Json.readTree(new java.io.ByteArrayInputStream(v.getBytes(StandardCharsets.UTF_8))));
                } else if ((k.equals("new") || k.equals("resolved")) && !v.isEmpty()) {
                    line.put(k, Boolean.parseBoolean(v));
                } else if (v.isEmpty() && (k.equals("new") || k.equals("resolved") || k.equals("control_id"))) {
                    line.putNull(k);
                } else {
                    line.put(k, v);
                }
            });
            out.append(Json.write(line)).append('\n');
        }
        return out.toString();
    }

    /** RFC 4180, with a header; cells that a spreadsheet would run as a formula are prefixed with a quote. */
    public static String csv(List<Map<String, String>> rows) {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (Map<String, String> r : rows) {
            List<String> cells = new ArrayList<>();
            for (String column : COLUMNS) {
                cells.add(cell(r.getOrDefault(column, "")));
            }
            out.append(String.join(",", cells)).append("\r\n");
        }
        return out.toString();
    }

    private static String cell(String value) {
        String v = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    @Override
    public List<ItemResult> publish(FindingsReport report) {
        List<Map<String, String>> rows = rows(report);
        // The audited account, which must own the bucket: every finding names it.
        String account = report.evaluations().stream().map(Finding::accountId).filter(java.util.Objects::nonNull)
                .findFirst().orElse(report.resolved().stream().map(Finding::accountId)
                        .filter(java.util.Objects::nonNull).findFirst().orElse(null));
        if (account == null) {
            return List.of(new ItemResult("s3://" + bucket + "/" + prefix, "WRITE_REPORT", Outcome.SKIPPED,
                    "no findings in this run: no report", Map.of()));
        }
        String base = prefix + DAY.format(report.observedAt()) + "/" + TIME.format(report.observedAt()) + "-"
                + report.source() + "-" + UUID.randomUUID().toString().substring(0, 8);
        String location = "s3://" + bucket + "/" + base;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("jsonLines", location + ".jsonl");
        details.put("csv", location + ".csv");
        details.put("rows", rows.size());
        try {
            s3.putReport(bucket, base + ".jsonl", jsonLines(rows).getBytes(StandardCharsets.UTF_8),
                    "application/x-ndjson", kmsKeyArn, account);
            s3.putReport(bucket, base + ".csv", csv(rows).getBytes(StandardCharsets.UTF_8), "text/csv", kmsKeyArn,
                    account);
        } catch (AwsFailure f) {
            return List.of(new ItemResult("s3://" + bucket + "/" + prefix, "WRITE_REPORT",
                    f.kind() == AwsFailure.Kind.RETRYABLE ? Outcome.RETRYABLE_FAILURE : Outcome.FAILED,
                    f.getMessage(), details));
        }
        return List.of(new ItemResult("s3://" + bucket + "/" + prefix, "WRITE_REPORT", Outcome.CHANGED,
                "report of " + rows.size() + " findings written", details));
    }
}
