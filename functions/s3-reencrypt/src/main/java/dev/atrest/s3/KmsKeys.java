package dev.atrest.s3;

import dev.atrest.core.config.TargetKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** The KMS side: what DescribeKey says of the configured target key (by key ARN or alias ARN), checked at init. */
public final class KmsKeys {
    private final KmsClient kms;

    public KmsKeys(KmsClient kms) {
        this.kms = kms;
    }

    /** DescribeKey accepts key ids, key ARNs, alias names and alias ARNs, and answers with the key's ARN. */
    public TargetKey.Facts describe(String reference) {
        KeyMetadata k = kms.describeKey(b -> b.keyId(reference)).keyMetadata();
        return new TargetKey.Facts(k.arn(), k.keyManagerAsString(), k.keySpecAsString(), k.keyUsageAsString(),
                k.keyStateAsString());
    }
}
