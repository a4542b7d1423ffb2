package dev.atrest.s3;

/** Server-side encryption of one object version, as HeadObject reports it. */
public enum Encryption {
    /** No x-amz-server-side-encryption: objects written before S3 encrypted everything by default (January 2023). */
    NONE,
    SSE_S3,
    SSE_KMS,
    DSSE_KMS,
    /** Customer-provided key: S3 holds no key it could re-encrypt with. */
    SSE_C,
    /** A value this function does not know (a future algorithm): never touched. */
    UNKNOWN;

    static Encryption fromHeaders(String serverSideEncryption, String customerAlgorithm) {
        if (customerAlgorithm != null && !customerAlgorithm.isBlank()) {
            return SSE_C;
        }
        if (serverSideEncryption == null || serverSideEncryption.isBlank()) {
            return NONE;
        }
        return switch (serverSideEncryption) {
            case "AES256" -> SSE_S3;
            case "aws:kms" -> SSE_KMS;
            case "aws:kms:dsse" -> DSSE_KMS;
            default -> UNKNOWN;
        };
    }
}
