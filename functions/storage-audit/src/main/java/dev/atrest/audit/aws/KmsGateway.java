package dev.atrest.audit.aws;

import dev.atrest.audit.check.KeyManager;
import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.aws.ClientFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyManagerType;

/** Tells AWS managed keys from customer managed ones. */
public final class KmsGateway {
    private final ClientFactory clients;

    public KmsGateway(ClientFactory clients) {
        this.clients = clients;
    }

    public KeyManager keyManager(String region, String keyId) {
        KeyManagerType type = AwsFailure.call("DescribeKey " + keyId, () -> clients
                .client("kms", Region.of(region), KmsClient::builder)
                .describeKey(b -> b.keyId(keyId)).keyMetadata().keyManager());
        return type == KeyManagerType.CUSTOMER ? KeyManager.CUSTOMER
                : type == KeyManagerType.AWS ? KeyManager.AWS : KeyManager.UNKNOWN;
    }
}
