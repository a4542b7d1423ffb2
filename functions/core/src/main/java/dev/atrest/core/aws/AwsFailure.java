package dev.atrest.core.aws;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * An AWS call that failed, reduced to the few outcomes a service acts on. Every gateway maps the SDK's exceptions
 * through {@link #map}; the SDK's retry strategy has already run when one of these is thrown, so RETRYABLE means
 * "retries were exhausted, a later invocation may succeed", not "try again now".
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
        INVALID;

        /** True when a later invocation may succeed where this one failed. */
        public boolean retryable() {
            return this == RETRYABLE;
        }
    }

    /**
     * What a service's error codes mean where they differ from the common rules of {@link #map}: the kind for
     * {@code code} (with the HTTP status), or empty to fall through to the common rules.
     */
    @FunctionalInterface
    public interface ServiceErrors {
        ServiceErrors NONE = (code, status) -> Optional.empty();

        Optional<Kind> kindOf(String code, int status);
    }

    /**
     * Error codes of every service that mean the caller may not do this (or may not be here at all: an opted-out
     * region, credentials the service does not know).
     */
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
            "AuthFailure", "InvalidAccessException", "OptInRequired", "UnrecognizedClientException",
            "InvalidClientTokenId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "AllAccessDisabled",
            "AuthorizationError");
    private static final Set<String> UNSUPPORTED_CODES = Set.of("NotImplemented", "UnsupportedOperation",
            "UnsupportedOperationException", "InvalidRequest");

    private final Kind kind;
    private final String operation;
    private final String code;

    /**
     * @param operation the API operation (and what it was called on), which starts the message
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

    /** Runs one AWS call (or a whole paginated iteration) and maps any SDK exception with the common rules. */
    public static <T> T call(String operation, Supplier<T> body) {
        return call(operation, ServiceErrors.NONE, body);
    }

    /** Runs one AWS call and maps any SDK exception, {@code errors} first. */
    public static <T> T call(String operation, ServiceErrors errors, Supplier<T> body) {
        try {
            return body.get();
        } catch (SdkException e) {
            throw map(operation, errors, e);
        }
    }

    public static void run(String operation, Runnable body) {
        call(operation, ServiceErrors.NONE, () -> {
            body.run();
            return null;
        });
    }

    public static AwsFailure map(String operation, SdkException e) {
        return map(operation, ServiceErrors.NONE, e);
    }

    /**
     * The one mapping of SDK exceptions: the service's own meaning of its codes first, then the common rules
     * (denied, throttled or 5xx, not found, precondition, unsupported), and otherwise INVALID: a request that a
     * retry cannot fix.
     */
    public static AwsFailure map(String operation, ServiceErrors errors, SdkException e) {
        if (e instanceof AwsServiceException ase) {
            String code = ase.awsErrorDetails() != null ? ase.awsErrorDetails().errorCode() : null;
            String message = ase.awsErrorDetails() != null ? ase.awsErrorDetails().errorMessage() : null;
            int status = ase.statusCode();
            String detail = (code != null ? code : "HTTP " + status)
                    + (message != null && !message.isBlank() ? ": " + message : "");
            Kind kind = errors.kindOf(code, status).orElseGet(() -> commonKind(ase, code, status));
            return new AwsFailure(kind, operation, code, detail, e);
        }
        if (unknownHost(e)) {
            // The endpoint's name does not resolve: a Region (or endpoint) that does not exist, which no retry fixes.
            return new AwsFailure(Kind.INVALID, operation, null, "the service endpoint's host is unknown (is the "
                    + "Region name right?): " + e.getMessage(), e);
        }
        // No service answer: I/O, timeouts and the like outlived the SDK's retries.
        Kind kind = e instanceof SdkClientException || e.retryable() ? Kind.RETRYABLE : Kind.INVALID;
        return new AwsFailure(kind, operation, null, String.valueOf(e.getMessage()), e);
    }

    private static boolean unknownHost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    private static Kind commonKind(AwsServiceException e, String code, int status) {
        if (code != null && DENIED.contains(code) || status == 401 || status == 403) {
            return Kind.ACCESS_DENIED;
        }
        if (e.isThrottlingException() || status == 429 || status >= 500 && status != 501 || e.retryable()) {
            return Kind.RETRYABLE;
        }
        if (status == 404 || code != null && (code.endsWith("NotFound") || code.endsWith("NotFoundException")
                || code.startsWith("NoSuch") || code.contains("NotFoundError"))) {
            return Kind.NOT_FOUND;
        }
        if (status == 412 || "PreconditionFailed".equals(code)) {
            return Kind.PRECONDITION_FAILED;
        }
        if (status == 501 || code != null && UNSUPPORTED_CODES.contains(code)) {
            return Kind.UNSUPPORTED;
        }
        return Kind.INVALID;
    }
}
