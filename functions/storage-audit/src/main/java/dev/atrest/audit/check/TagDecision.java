package dev.atrest.audit.check;

import dev.atrest.core.findings.Finding;

/**
 * Whether a resource's non-compliance marker tag must be added or removed: present exactly while the resource
 * fails its check. Only resources of checks that declare a {@link ResourceTagging} are considered.
 */
public final class TagDecision {
    public static final String TAG_KEY = "atrest:encryption-finding";

    public enum Action { ADD, REMOVE, NONE }

    private TagDecision() {}

    public static Action decide(AuditCheck<?, ?> check, Finding finding) {
        if (check.tagging().isEmpty()) {
            return Action.NONE;
        }
        boolean tagged = finding.resourceTags().containsKey(TAG_KEY);
        if (finding.failed()) {
            return tagged && tagValue(finding).equals(finding.resourceTags().get(TAG_KEY)) ? Action.NONE : Action.ADD;
        }
        return tagged ? Action.REMOVE : Action.NONE;
    }

    /** Names the failed check, so someone looking at the resource knows what to fix. */
    public static String tagValue(Finding finding) {
        return finding.controlId() != null ? finding.controlId() + " " + finding.checkId() : finding.checkId();
    }
}
