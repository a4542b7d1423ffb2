package dev.atrest.core.findings;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.atrest.core.findings.FindingsReport.ScopeCounts;
import dev.atrest.core.summary.ItemResult;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * EMF metrics per check and region (one metric document per scope, since each has its own dimension values) and
 * one structured log line per non-compliant or resolved finding, so logs can be searched by resource. Both at INFO:
 * a finding is the audit working, not trouble with the function (that is what WARN and ERROR are kept for).
 */
public final class MetricsLogSink implements FindingSink {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsLogSink.class);
    private final Metrics metrics;

    private static Map<String, Object> logged(Finding f, boolean fresh) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", f.id());
        m.put("check", f.checkId());
        m.put("control", f.controlId());
        m.put("severity", f.severity().name());
        m.put("status", f.status().name());
        m.put("region", f.region());
        m.put("resource", f.resourceId());
        m.put("reason", f.reason());
        m.put("new", fresh);
        m.putAll(f.details());
        return m;
    }

    public MetricsLogSink(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public List<ItemResult> publish(FindingsReport report) {
        for (Map.Entry<FindingScope, ScopeCounts> e : report.countsByScope().entrySet()) {
            ScopeCounts c = e.getValue();
            metrics.flushMetrics(m -> {
                m.addDimension(DimensionSet.of("Check", e.getKey().checkId(), "Region", e.getKey().region()));
                m.addMetric("NonCompliantResources", c.failed(), MetricUnit.COUNT);
                m.addMetric("CompliantResources", c.passed(), MetricUnit.COUNT);
                if (report.historyKnown()) {
                    m.addMetric("NewFindings", c.newlyFailed(), MetricUnit.COUNT);
                    m.addMetric("ResolvedFindings", c.resolved(), MetricUnit.COUNT);
                }
            });
        }
        for (ScopeFailure f : report.failures()) {
            metrics.flushMetrics(m -> {
                m.addDimension(DimensionSet.of("Check", f.scope().checkId(), "Region", f.scope().region()));
                m.addMetric("AuditFailures", 1, MetricUnit.COUNT);
            });
        }
        for (Finding f : report.failed()) {
            LOG.info("non-compliant {}", f.resourceId(), entry("finding", logged(f, report.newFindingIds().contains(f.id()))));
        }
        for (Finding f : report.resolved()) {
            LOG.info("resolved {}", f.resourceId(), entry("finding", logged(f, false)));
        }
        return List.of();
    }
}
