package dev.atrest.backfill;

import java.util.Locale;
import java.util.Set;

/**
 * The reason of one failed task (pure). S3UpdateObjectEncryption tasks carry the status, code and message the
 * UpdateObjectEncryption API answers for that object; LambdaInvoke tasks carry the S3 function's result string
 * ("OUTCOME ACTION: reason", see the S3 function's BatchResults) or Lambda's own error.
 */
public final class FailureClassifier {
    private static final Set<String> RETRYABLE_CODES = Set.of("SlowDown", "InternalError", "ServiceUnavailable",
            "RequestTimeout", "OperationAborted", "Throttling", "ThrottlingException", "TooManyRequestsException",
            "RequestTimeTooSkewed", "TemporaryFailure");
    private static final Set<String> GONE_CODES = Set.of("NoSuchKey", "NoSuchVersion", "NoSuchBucket");

    private FailureClassifier() {}

    public static FailureReason classify(boolean lambdaPath, FailedTask task) {
        return lambdaPath ? lambda(task) : update(task);
    }

    private static FailureReason update(FailedTask t) {
        String code = t.errorCode() == null ? "" : t.errorCode();
        String message = lower(t.message());
        int status = status(t.httpStatus());
        if (status == 404 || GONE_CODES.contains(code)) {
            return FailureReason.GONE;
        }
        // Before the status: S3 answers Object Lock with 403 AccessDenied, and the message is what tells them apart.
        if (message.contains("object lock") || message.contains("legal hold") || message.contains("retention")) {
            return FailureReason.OBJECT_LOCK;
        }
        if (message.contains("dsse-kms") || message.contains("sse-c")) {
            return FailureReason.UNSUPPORTED_ENCRYPTION;
        }
        if (message.contains("unencrypted")) {
            return FailureReason.UNENCRYPTED;
        }
        if (code.startsWith("KMS.") || code.startsWith("KMS") || message.contains("kms key")) {
            return FailureReason.KEY_REJECTED;
        }
        if (RETRYABLE_CODES.contains(code) || status == 429 || status == 409 || status >= 500) {
            return FailureReason.RETRYABLE;
        }
        if (status == 403 || "AccessDenied".equals(code)) {
            return FailureReason.ACCESS_DENIED;
        }
        return FailureReason.OTHER;
    }

    private static FailureReason lambda(FailedTask t) {
        String message = t.message() == null ? "" : t.message();
        if (message.startsWith("CRITICAL ")) {
            return FailureReason.CRITICAL;
        }
        if ("TemporaryFailure".equals(t.errorCode()) || message.startsWith("RETRYABLE_FAILURE ")
                || message.contains("Lambda returned function error") || message.contains("Task timed out")
                || status(t.httpStatus()) >= 500 || status(t.httpStatus()) == 429) {
            return FailureReason.RETRYABLE;
        }
        if (message.startsWith("FAILED ") || message.startsWith("REPORTED ")) {
            return FailureReason.FUNCTION_FAILED;
        }
        if (status(t.httpStatus()) == 403 || "AccessDenied".equals(t.errorCode())) {
            return FailureReason.ACCESS_DENIED;
        }
        return FailureReason.OTHER;
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static int status(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
