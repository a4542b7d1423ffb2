package dev.atrest.audit.check;

import java.util.Map;

/** An EBS snapshot owned by the account. */
public record SnapshotState(String snapshotId, String arn, String region, boolean encrypted, String kmsKeyId,
        String volumeId, Map<String, String> tags) {}
