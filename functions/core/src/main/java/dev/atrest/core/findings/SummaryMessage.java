package dev.atrest.core.findings;

import dev.atrest.core.findings.FindingsReport.ScopeCounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one message a run sends to people: counts per check and region, the new and the resolved, and what could
 * not be audited. Its size depends on the number of checks and regions, never on the number of resources, so it
 * stays far below SNS's 256 KB whatever the account holds.
 */
public final class SummaryMessage {
    private SummaryMessage() {}

    public static Map<String, Object> body(FindingsReport report) {
        Map<FindingScope, ScopeCounts> byScope = report.countsByScope();
        Map<String, String> controls = report.controlIds();
        int failed = 0;
        int passed = 0;
        int fresh = 0;
        int resolved = 0;
        List<Map<String, Object>> scopes = new ArrayList<>();
        for (Map.Entry<FindingScope, ScopeCounts> e : byScope.entrySet()) {
            ScopeCounts c = e.getValue();
            failed += c.failed();
            passed += c.passed();
            fresh += c.newlyFailed();
            resolved += c.resolved();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("region", e.getKey().region());
            row.put("check", e.getKey().checkId());
            if (controls.containsKey(e.getKey().checkId())) {
                row.put("control", controls.get(e.getKey().checkId()));
            }
            row.put("nonCompliant", c.failed());
            row.put("compliant", c.passed());
            if (report.historyKnown()) {
                row.put("new", c.newlyFailed());
                row.put("resolved", c.resolved());
            }
            scopes.add(row);
        }
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("nonCompliant", failed);
        totals.put("compliant", passed);
        if (report.historyKnown()) {
            totals.put("new", fresh);
            totals.put("resolved", resolved);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source", report.source());
        body.put("observedAt", report.observedAt().toString());
        body.put("dryRun", report.dryRun());
        body.put("historyKnown", report.historyKnown());
        body.put("totals", totals);
        body.put("byCheckAndRegion", scopes);
        body.put("failures", report.failures().stream().map(f -> Map.of(
                "region", f.scope().region(), "check", f.scope().checkId(), "outcome", f.outcome(),
                "message", f.message())).toList());
        return body;
    }

    /** SNS subjects: ASCII, at most 100 characters. */
    public static String subject(FindingsReport report) {
        long failed = report.evaluations().stream().filter(Finding::failed).count();
        String s = "atrest " + report.source() + ": " + failed + " non-compliant";
        if (report.historyKnown()) {
            s += " (" + report.newFindingIds().size() + " new, " + report.resolved().size() + " resolved)";
        }
        if (!report.failures().isEmpty()) {
            s += ", " + report.failures().size() + " scopes failed";
        }
        return s.length() <= 100 ? s : s.substring(0, 100);
    }
}
