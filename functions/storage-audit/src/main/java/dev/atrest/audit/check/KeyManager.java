package dev.atrest.audit.check;

/** Who manages a KMS key, as KMS {@code KeyMetadata.KeyManager} says; UNKNOWN when it could not be read. */
public enum KeyManager {
    AWS,
    CUSTOMER,
    UNKNOWN;

    /**
     * What a key reference alone tells: {@code alias/aws/...} names an AWS managed key. Anything else needs
     * {@code DescribeKey}; null when there is no key at all.
     */
    public static KeyManager fromReference(String keyId) {
        if (keyId == null || keyId.isBlank()) {
            return null;
        }
        return keyId.startsWith("alias/aws/") || keyId.matches("^arn:aws[a-z-]*:kms:[^:]+:\\d{12}:alias/aws/.*")
                ? AWS : UNKNOWN;
    }
}
