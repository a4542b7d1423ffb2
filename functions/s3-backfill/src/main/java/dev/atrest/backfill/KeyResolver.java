package dev.atrest.backfill;

import software.amazon.awssdk.services.kms.KmsClient;

/** Resolves the configured alias to the key ARN the job's operation requires (UpdateObjectEncryption takes no alias). */
public final class KeyResolver {
    private final KmsClient kms;

    public KeyResolver(KmsClient kms) {
        this.kms = kms;
    }

    /** DescribeKey accepts alias ARNs and answers with the key's ARN. */
    public String keyArn(String reference) {
        return kms.describeKey(b -> b.keyId(reference)).keyMetadata().arn();
    }
}
