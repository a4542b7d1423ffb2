package dev.atrest.kms;

/**
 * What DescribeKey says about a key, as plain values.
 *
 * @param multiRegionKeyType PRIMARY, REPLICA or null for single-Region keys
 * @param primaryArn the primary key's ARN for multi-Region keys
 * @param primaryRegion the primary key's region for multi-Region keys
 */
public record KeyFacts(String arn, String keyId, String region, String keyManager, String keySpec, String keyUsage,
                       String origin, String keyState, String customKeyStoreId, String multiRegionKeyType,
                       String primaryArn, String primaryRegion) {}
