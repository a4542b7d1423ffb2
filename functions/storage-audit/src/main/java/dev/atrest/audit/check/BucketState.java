package dev.atrest.audit.check;

/**
 * An S3 bucket's default encryption.
 *
 * @param sseAlgorithm the default rule's algorithm ({@code AES256}, {@code aws:kms}, {@code aws:kms:dsse}); null
 *     when the bucket has no default encryption configuration
 */
public record BucketState(String name, String arn, String region, String sseAlgorithm, String kmsKeyId) {}
