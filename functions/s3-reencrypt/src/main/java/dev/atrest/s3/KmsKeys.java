package dev.atrest.s3;

import software.amazon.awssdk.services.kms.KmsClient;

/** The KMS side: resolves the configured alias to the key ARN that UpdateObjectEncryption requires. */
public final class KmsKeys {
    private final KmsClient kms;

    public KmsKeys(KmsClient kms) {
        this.kms = kms;
    }

    /** DescribeKey accepts key ids, key ARNs, alias names and alias ARNs, and answers with the key's ARN. */
    public String keyArn(String reference) {
        return kms.describeKey(b -> b.keyId(reference)).keyMetadata().arn();
    }
}
