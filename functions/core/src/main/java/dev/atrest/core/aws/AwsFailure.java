package dev.atrest.core.aws;

/**
 * An AWS call that failed, reduced to the few outcomes a service acts on. Each gateway maps its service's errors to a
 * {@link Kind}; the SDK's retry strategy has already run when one of these is thrown, so RETRYABLE means "retries
 * were exhausted, a later invocation may succeed", not "try again now".
 */
public final class AwsFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        NOT_FOUND,
        ACCESS_DENIED,
        /** The resource changed or its state forbids the call right now (412, KMSInvalidStateException). */
        PRECONDITION_FAILED,
        /** The operation does not apply to this resource (InvalidRequest, NotImplemented, UnsupportedOperation). */
        UNSUPPORTED,
        /** Throttling, 5xx or I/O that outlived the SDK's retries. */
        RETRYABLE,
        /** The request itself was wrong: retrying cannot help. */
        INVALID
    }

    private final Kind kind;
    private final String operation;
    private final String code;

    /**
     * @param operation the API operation, which starts the message
     * @param code the service's error code, or null when there was no service answer
     * @param detail what went wrong, after the operation in the message
     */
    public AwsFailure(Kind kind, String operation, String code, String detail, Throwable cause) {
        super(operation + ": " + detail, cause);
        this.kind = kind;
        this.operation = operation;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public String operation() {
        return operation;
    }

    public String code() {
        return code;
    }
}
