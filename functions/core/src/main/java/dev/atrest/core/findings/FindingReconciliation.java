package dev.atrest.core.findings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the findings still open from earlier runs with this run's evaluations: which failures are new, and which
 * open findings are resolved. Pure; a finding whose scope did not complete in this run is left open, because a
 * failed audit is not evidence of compliance.
 */
public final class FindingReconciliation {
    private FindingReconciliation() {}

    public record Result(Set<String> newFindingIds, List<Finding> resolved) {}

    public static Result reconcile(List<Finding> previouslyOpen, List<Finding> evaluations, Set<FindingScope> completed,
            Instant now) {
        Map<String, Finding> current = new HashMap<>();
        for (Finding f : evaluations) {
            current.put(f.id(), f);
        }
        Set<String> open = new HashSet<>();
        List<Finding> resolved = new ArrayList<>();
        for (Finding before : previouslyOpen) {
            open.add(before.id());
            Finding now_ = current.get(before.id());
            if (now_ != null && now_.failed()) {
                continue;
            }
            if (!completed.contains(before.scope())) {
                continue;
            }
            resolved.add(now_ != null
                    ? now_.resolved("now compliant: " + now_.reason(), now)
                    : before.resolved("the resource no longer exists", now));
        }
        Set<String> fresh = new HashSet<>();
        for (Finding f : evaluations) {
            if (f.failed() && !open.contains(f.id())) {
                fresh.add(f.id());
            }
        }
        return new Result(fresh, resolved);
    }
}
