package dev.atrest.s3;

/**
 * Recognises events caused by this function's own writes. A Lambda function's role session is named after the
 * function, so the notification's principalId ends with ":" + function name ("AWS:AROA...:S3ReencryptFunction").
 */
public final class LoopGuard {
    private LoopGuard() {}

    public static boolean selfCaused(String principalId, String functionName) {
        if (principalId == null || functionName == null || functionName.isBlank()) {
            return false;
        }
        return principalId.endsWith(":" + functionName);
    }
}
