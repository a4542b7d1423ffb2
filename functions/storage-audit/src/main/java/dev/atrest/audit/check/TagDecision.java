package dev.atrest.audit.check;

import dev.atrest.core.findings.Finding;
import java.util.Set;

/**
 * Whether a resource's non-compliance marker tag must be added or removed: present exactly while the resource
 * fails its check. Only resources the audit may tag (volumes, snapshots, file systems) are considered.
 */
public final class TagDecision {
    public static final String TAG_KEY = "atrest:encryption-finding";
    static final Set<String> TAGGABLE = Set.of(StorageCheck.EBS_VOLUME.id, StorageCheck.EBS_SNAPSHOT.id,
            StorageCheck.EFS_FILE_SYSTEM.id);

    public enum Action { ADD, REMOVE, NONE }

    private TagDecision() {}

    public static Action decide(Finding finding) {
        if (!TAGGABLE.contains(finding.checkId())) {
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
