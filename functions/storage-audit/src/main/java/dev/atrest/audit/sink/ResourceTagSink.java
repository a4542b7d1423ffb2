package dev.atrest.audit.sink;

import dev.atrest.audit.aws.Ec2Gateway;
import dev.atrest.audit.aws.EfsGateway;
import dev.atrest.audit.check.StorageCheck;
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
import java.util.TreeMap;

/**
 * Marks non-compliant volumes, snapshots and file systems with a tag, and removes it once they comply. Tags are a
 * write, so in dry run it only reports what it would change. Tags are the only thing the audit ever writes to these
 * resources.
 */
public final class ResourceTagSink implements FindingSink {
    private final Ec2Gateway ec2;
    private final EfsGateway efs;
    private final boolean dryRun;

    public ResourceTagSink(Ec2Gateway ec2, EfsGateway efs, boolean dryRun) {
        this.ec2 = ec2;
        this.efs = efs;
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
        for (Finding f : report.evaluations()) {
            TagDecision.Action action = TagDecision.decide(f);
            if (action == TagDecision.Action.NONE) {
                continue;
            }
            String value = action == TagDecision.Action.ADD ? TagDecision.tagValue(f) : null;
            groups.computeIfAbsent(new Group(f.region(), f.checkId(), action, value), g -> new ArrayList<>())
                    .add(resourceId(f));
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
                apply(g, ids);
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

    private void apply(Group g, List<String> ids) {
        boolean add = g.action() == TagDecision.Action.ADD;
        if (StorageCheck.EFS_FILE_SYSTEM.id.equals(g.checkId())) {
            for (String id : ids) {
                if (add) {
                    efs.tag(g.region(), id, TagDecision.TAG_KEY, g.value());
                } else {
                    efs.untag(g.region(), id, TagDecision.TAG_KEY);
                }
            }
        } else if (add) {
            ec2.tag(g.region(), ids, TagDecision.TAG_KEY, g.value());
        } else {
            ec2.untag(g.region(), ids, TagDecision.TAG_KEY);
        }
    }

    /** The id the tagging APIs take (not the ARN); a snapshot's details also name its source volume. */
    private static String resourceId(Finding f) {
        String key = StorageCheck.EBS_SNAPSHOT.id.equals(f.checkId()) ? "snapshotId"
                : StorageCheck.EFS_FILE_SYSTEM.id.equals(f.checkId()) ? "fileSystemId" : "volumeId";
        return f.details().getOrDefault(key, f.resourceId());
    }
}
