package dev.atrest.kms;

/**
 * Fails an invocation some of whose keys failed in a way a redelivery may fix (throttling that outlived the SDK's
 * retries, 5xx): Lambda's asynchronous retries and the failure destination then take over. Every write is
 * idempotent, so re-running the whole trigger is safe.
 */
public final class RetryableFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RetryableFailureException(String message) {
        super(message);
    }
}
