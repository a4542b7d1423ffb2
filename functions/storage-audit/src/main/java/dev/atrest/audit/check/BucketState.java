package dev.atrest.audit.check;

/**
 * An S3 bucket's default encryption.
 *
 * @param sseAlgorithm the default rule's algorithm ({@code AES256}, {@code aws:kms}, {@code aws:kms:dsse}); null
 *     when the bucket has no default encryption configuration
 * @param keyManager who manages the default key ({@code aws:kms} without a key id is the AWS managed aws/s3 key);
 *     null when not SSE-KMS or not asked (customer managed keys not required)
 */
public record BucketState(String name, String arn, String region, String sseAlgorithm, String kmsKeyId,
        KeyManager keyManager) {

    public BucketState(String name, String arn, String region, String sseAlgorithm, String kmsKeyId) {
        this(name, arn, region, sseAlgorithm, kmsKeyId, null);
    }
}
