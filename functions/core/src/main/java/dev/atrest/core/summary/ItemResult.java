package dev.atrest.core.summary;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What happened to one item (object, key, resource) in one invocation.
 *
 * @param resource what the item is (bucket/key@version, key ARN, volume ARN)
 * @param action what the function decided (e.g. REENCRYPT, ENABLE_ROTATION, SKIP)
 * @param outcome how it ended: one of the {@link Outcome} names
 * @param reason why, in words an operator can act on
 * @param details function-specific facts (before/after encryption, period, principal...)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ItemResult(String resource, String action, Outcome outcome, String reason, Map<String, Object> details) {
    public ItemResult {
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static ItemResult of(String resource, String action, Outcome outcome, String reason) {
        return new ItemResult(resource, action, outcome, reason, Map.of());
    }

    /** The small closed set of ends an item can come to; summaries count by it. */
    public enum Outcome {
        /** A change was made (or, in dry run, would have been made: see the summary's dryRun flag). */
        CHANGED,
        /** Already what the policy wants: nothing to do. */
        COMPLIANT,
        /** Deliberately not handled, with a reason (unsupported, exempt, self-caused event...). */
        SKIPPED,
        /** A non-compliance that was reported but not changed (finding). */
        REPORTED,
        /** Failed in a way a retry may fix (throttling, 5xx). */
        RETRYABLE_FAILURE,
        /** Failed in a way a retry cannot fix (access denied, invalid input). */
        FAILED,
        /** A write happened but its verification showed a difference: needs a human. */
        CRITICAL
    }
}
