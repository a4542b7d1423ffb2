package dev.atrest.core.findings;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything one run found, handed to every {@link FindingSink}.
 *
 * @param source the function that produced it (e.g. {@code storage-audit})
 * @param evaluations every check result of this run, passed and failed
 * @param resolved findings that were open before this run and are not any more (compliant now, or gone)
 * @param newFindingIds failed findings that were not open before this run
 * @param historyKnown false when earlier findings could not be read (no Security Hub): then "new" and "resolved"
 *     are unknown rather than zero
 * @param completed the scopes audited completely; only their findings were reconciled
 * @param failures the scopes that could not be audited
 */
public record FindingsReport(
        String source,
        Instant observedAt,
        boolean dryRun,
        List<Finding> evaluations,
        List<Finding> resolved,
        Set<String> newFindingIds,
        boolean historyKnown,
        Set<FindingScope> completed,
        List<ScopeFailure> failures) {

    public FindingsReport {
        evaluations = List.copyOf(evaluations);
        resolved = List.copyOf(resolved);
        newFindingIds = Set.copyOf(newFindingIds);
        completed = Set.copyOf(completed);
        failures = List.copyOf(failures);
    }

    public List<Finding> failed() {
        return evaluations.stream().filter(Finding::failed).toList();
    }

    /** Counts per scope (sorted by region, then check), for summaries and metrics. */
    public Map<FindingScope, ScopeCounts> countsByScope() {
        Map<FindingScope, ScopeCounts> counts = new TreeMap<>(
                java.util.Comparator.comparing(FindingScope::region).thenComparing(FindingScope::checkId));
        for (FindingScope scope : completed) {
            counts.put(scope, ScopeCounts.ZERO);
        }
        for (Finding f : evaluations) {
            counts.merge(f.scope(), f.failed() ? new ScopeCounts(1, 0, newFindingIds.contains(f.id()) ? 1 : 0, 0)
                    : new ScopeCounts(0, 1, 0, 0), ScopeCounts::plus);
        }
        for (Finding f : resolved) {
            counts.merge(f.scope(), new ScopeCounts(0, 0, 0, 1), ScopeCounts::plus);
        }
        return counts;
    }

    /** The Security Hub control id of each check seen in this run (checks without a control are left out). */
    public Map<String, String> controlIds() {
        Map<String, String> out = new TreeMap<>();
        for (Finding f : evaluations) {
            if (f.controlId() != null) {
                out.putIfAbsent(f.checkId(), f.controlId());
            }
        }
        return out;
    }

    public record ScopeCounts(int failed, int passed, int newlyFailed, int resolved) {
        public static final ScopeCounts ZERO = new ScopeCounts(0, 0, 0, 0);

        ScopeCounts plus(ScopeCounts o) {
            return new ScopeCounts(failed + o.failed, passed + o.passed, newlyFailed + o.newlyFailed, resolved + o.resolved);
        }
    }
}
