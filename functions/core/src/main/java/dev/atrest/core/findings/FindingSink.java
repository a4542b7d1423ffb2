package dev.atrest.core.findings;

import dev.atrest.core.summary.ItemResult;
import java.util.List;

/**
 * One output of a run's findings (Security Hub, SNS, metrics and logs, resource tags). Each sink is independent:
 * the caller isolates a failing sink so the others still publish, and records the failure in the run summary.
 */
public interface FindingSink {
    /** Short name for summaries and logs, e.g. {@code securityhub}. */
    String name();

    /** Publishes the report; returns what it did, for the run summary (empty when there is nothing to tell). */
    List<ItemResult> publish(FindingsReport report);
}
