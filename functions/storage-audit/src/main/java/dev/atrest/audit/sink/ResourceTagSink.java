package dev.atrest.audit.sink;

import dev.atrest.audit.check.AuditCheck;
import dev.atrest.audit.check.CheckRegistry;
import dev.atrest.audit.check.ResourceTagging;
import dev.atrest.audit.check.TagDecision;
import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.FindingSink;
import dev.atrest.core.findings.FindingsReport;
import dev.atrest.core.summary.ItemResult.Outcome;
import dev.atrest.core.summary.ItemResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Marks non-compliant resources with a tag, and removes it once they comply: the resources of every check that
 * declares a {@link ResourceTagging} (volumes, snapshots, file systems), tagged the way the check says. Tags are a
 * write, so in dry run it only reports what it would change. Tags are the only thing the audit ever writes to these
 * resources.
 */
public final class ResourceTagSink implements FindingSink {
    private final CheckRegistry checks;
    private final boolean dryRun;

    public ResourceTagSink(CheckRegistry checks, boolean dryRun) {
        this.checks = checks;
        this.dryRun = dryRun;
    }

    @Override
    public String name() {
        return "tags";
    }

    private record Group(String region, String checkId, TagDecision.Action action, String value) {}

    @Override
    public List<ItemResult> publish(FindingsReport report) {
        Map<Group, List<String>> groups = new TreeMap<>(java.util.Comparator.comparing((Group g) -> g.region())
                .thenComparing(Group::checkId).thenComparing(Group::action).thenComparing(g -> String.valueOf(g.value())));
        Map<String, ResourceTagging> tagging = new TreeMap<>();
        for (Finding f : report.evaluations()) {
            Optional<AuditCheck<?, ?>> check = checks.byId(f.checkId());
            if (check.isEmpty()) {
                continue;
            }
            TagDecision.Action action = TagDecision.decide(check.get(), f);
            if (action == TagDecision.Action.NONE) {
                continue;
            }
            ResourceTagging how = check.get().tagging().orElseThrow();
            tagging.putIfAbsent(f.checkId(), how);
            String value = action == TagDecision.Action.ADD ? TagDecision.tagValue(f) : null;
            groups.computeIfAbsent(new Group(f.region(), f.checkId(), action, value), g -> new ArrayList<>())
                    .add(how.resourceId(f));
        }
        List<ItemResult> out = new ArrayList<>();
        for (Map.Entry<Group, List<String>> e : groups.entrySet()) {
            Group g = e.getKey();
            List<String> ids = e.getValue();
            String what = (g.action() == TagDecision.Action.ADD ? "TAG" : "UNTAG") + "_NON_COMPLIANT";
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("count", ids.size());
            details.put("check", g.checkId());
            details.put("sample", ids.subList(0, Math.min(ids.size(), 10)));
            String resource = g.region() + "/" + g.checkId();
            if (dryRun) {
                out.add(new ItemResult(resource, what, Outcome.CHANGED,
                        "dry run: would " + (g.action() == TagDecision.Action.ADD ? "add " : "remove ")
                                + TagDecision.TAG_KEY + " on " + ids.size() + " resources", details));
                continue;
            }
            try {
                ResourceTagging how = tagging.get(g.checkId());
                if (g.action() == TagDecision.Action.ADD) {
                    how.tag(g.region(), ids, TagDecision.TAG_KEY, g.value());
                } else {
                    how.untag(g.region(), ids, TagDecision.TAG_KEY);
                }
                out.add(new ItemResult(resource, what, Outcome.CHANGED,
                        (g.action() == TagDecision.Action.ADD ? "added " : "removed ") + TagDecision.TAG_KEY, details));
            } catch (AwsFailure f) {
                out.add(new ItemResult(resource, what,
                        f.kind() == AwsFailure.Kind.RETRYABLE ? Outcome.RETRYABLE_FAILURE : Outcome.FAILED,
                        f.getMessage(), details));
            }
        }
        return out;
    }
}
