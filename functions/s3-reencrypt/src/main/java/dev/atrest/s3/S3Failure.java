package dev.atrest.s3;

/** An S3 or KMS call that failed, reduced to the few outcomes the service acts on. */
public final class S3Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        NOT_FOUND,
        ACCESS_DENIED,
        /** 412: the object changed since it was read. */
        PRECONDITION_FAILED,
        /** The operation does not apply to this object or bucket (InvalidRequest, NotImplemented, archived). */
        UNSUPPORTED,
        /** Throttling, 5xx, network: the SDK's retries are spent, a later attempt may work. */
        RETRYABLE,
        /** Anything else a retry cannot fix. */
        INVALID
    }

    private final Kind kind;
    private final String code;

    public S3Failure(Kind kind, String code, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
