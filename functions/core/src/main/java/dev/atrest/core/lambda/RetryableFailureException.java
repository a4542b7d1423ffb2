package dev.atrest.core.lambda;

import dev.atrest.core.json.Json;
import dev.atrest.core.summary.ItemResult.Outcome;
import dev.atrest.core.summary.RunSummary;

/**
 * Fails an invocation some of whose items failed in a way a redelivery may fix (throttling or 5xx that outlived the
 * SDK's retries): Lambda's asynchronous retries, the event source's retry policy and then the on-failure destination
 * take over. Thrown once every output of the run is written, and only by {@link JsonHandler}; every write of every
 * function is idempotent or conditional, so re-running the whole trigger is safe.
 */
public final class RetryableFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient RunSummary summary;

    RetryableFailureException(RunSummary summary) {
        super(summary.count(Outcome.RETRYABLE_FAILURE) + " item(s) failed in a way a retry may fix; summary: "
                + Json.write(summary.getCounts()));
        this.summary = summary;
    }

    /** The run's summary, with every item (the invocation's answer is this exception, so it is logged too). */
    public RunSummary summary() {
        return summary;
    }
}
