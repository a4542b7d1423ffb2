package dev.atrest.kms;

/** An AWS call that failed, reduced to what the service can do about it. */
public final class GatewayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The small set of ends an AWS call can come to besides success. */
    public enum Kind {
        NOT_FOUND,
        ACCESS_DENIED,
        /** The resource's state forbids the call right now (KMSInvalidStateException, DisabledException). */
        PRECONDITION_FAILED,
        UNSUPPORTED,
        /** Throttling, 5xx or I/O that outlived the SDK's retries: a later attempt may succeed. */
        RETRYABLE,
        /** The request itself was wrong (validation): retrying cannot help. */
        INVALID
    }

    private final Kind kind;
    private final String operation;

    public GatewayException(Kind kind, String operation, String message, Throwable cause) {
        super(operation + ": " + message, cause);
        this.kind = kind;
        this.operation = operation;
    }

    public Kind kind() {
        return kind;
    }

    public String operation() {
        return operation;
    }
}
