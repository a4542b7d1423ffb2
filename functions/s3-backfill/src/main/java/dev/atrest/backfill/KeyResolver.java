package dev.atrest.backfill;

import dev.atrest.core.config.TargetKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** What DescribeKey says of the target key (by key ARN or alias ARN), checked at init: the jobs need its key ARN. */
public final class KeyResolver {
    private final KmsClient kms;

    public KeyResolver(KmsClient kms) {
        this.kms = kms;
    }

    public TargetKey.Facts describe(String reference) {
        KeyMetadata k = kms.describeKey(b -> b.keyId(reference)).keyMetadata();
        return new TargetKey.Facts(k.arn(), k.keyManagerAsString(), k.keySpecAsString(), k.keyUsageAsString(),
                k.keyStateAsString());
    }
}
