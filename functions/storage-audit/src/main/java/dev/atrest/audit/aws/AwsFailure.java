package dev.atrest.audit.aws;

import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * An AWS call that failed, reduced to the few outcomes the audit acts on. The SDK's retry strategy has already run
 * when one of these is thrown, so RETRYABLE means "retries were exhausted", not "try again now".
 */
public final class AwsFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind { NOT_FOUND, ACCESS_DENIED, PRECONDITION_FAILED, UNSUPPORTED, RETRYABLE }

    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
            "AuthFailure", "InvalidAccessException", "OptInRequired", "UnrecognizedClientException",
            "InvalidClientTokenId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken");

    private final Kind kind;
    private final String code;

    public AwsFailure(Kind kind, String code, String message, Throwable cause) {
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

    /** Runs one AWS call (or a whole paginated iteration) and maps any SDK exception. */
    public static <T> T call(String what, Supplier<T> body) {
        try {
            return body.get();
        } catch (SdkException e) {
            throw map(what, e);
        }
    }

    public static void run(String what, Runnable body) {
        call(what, () -> {
            body.run();
            return null;
        });
    }

    public static AwsFailure map(String what, SdkException e) {
        if (e instanceof AwsServiceException ase) {
            String code = ase.awsErrorDetails() != null ? ase.awsErrorDetails().errorCode() : null;
            int status = ase.statusCode();
            String message = what + ": " + (code != null ? code + ": " : "") + (ase.awsErrorDetails() != null
                    ? ase.awsErrorDetails().errorMessage() : ase.getMessage());
            Kind kind;
            if (code != null && DENIED.contains(code) || status == 401 || status == 403) {
                kind = Kind.ACCESS_DENIED;
            } else if (ase.isThrottlingException() || status >= 500) {
                kind = Kind.RETRYABLE;
            } else if (status == 404 || code != null && (code.endsWith("NotFound") || code.endsWith("NotFoundException")
                    || code.contains("NotFoundError"))) {
                kind = Kind.NOT_FOUND;
            } else if (status == 412 || "PreconditionFailed".equals(code)) {
                kind = Kind.PRECONDITION_FAILED;
            } else {
                kind = Kind.UNSUPPORTED;
            }
            return new AwsFailure(kind, code, message, e);
        }
        Kind kind = e instanceof SdkClientException ? Kind.RETRYABLE : Kind.UNSUPPORTED;
        return new AwsFailure(kind, null, what + ": " + e.getMessage(), e);
    }
}
