package dev.atrest.audit.check;

import java.util.List;
import java.util.Map;

/** An EBS volume as the audit sees it. */
public record VolumeState(String volumeId, String arn, String region, boolean encrypted, String kmsKeyId,
        List<String> attachedInstanceIds, Map<String, String> tags) {}
