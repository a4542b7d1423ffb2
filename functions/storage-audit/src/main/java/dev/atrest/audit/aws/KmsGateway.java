package dev.atrest.audit.aws;

import dev.atrest.audit.check.KeyDirectory;
import dev.atrest.audit.check.KeyInfo;
import dev.atrest.audit.check.KeyManager;
import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.aws.ClientFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CustomKeyStoresListEntry;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** KMS calls of the audit: keys, their policies and the custom key stores; the only class that knows KMS SDK types. */
public final class KmsGateway implements KeyDirectory.Kms {
    /** ListKeys and DescribeCustomKeyStores page at up to 1000 entries. */
    static final int PAGE = 1000;

    /** A custom key store as DescribeCustomKeyStores gives it. */
    public record CustomKeyStore(String id, String name, String type, String region, String connectionState,
            String connectionErrorCode) {}

    private final ClientFactory clients;

    public KmsGateway(ClientFactory clients) {
        this.clients = clients;
    }

    private KmsClient kms(String region) {
        return clients.client("kms", Region.of(region), KmsClient::builder);
    }

    @Override
    public KeyInfo describe(String region, String keyReference) {
        KeyMetadata m = AwsFailure.call("DescribeKey " + keyReference,
                () -> kms(region).describeKey(b -> b.keyId(keyReference)).keyMetadata());
        KeyManager manager = m.keyManager() == KeyManagerType.CUSTOMER ? KeyManager.CUSTOMER
                : m.keyManager() == KeyManagerType.AWS ? KeyManager.AWS : KeyManager.UNKNOWN;
        return new KeyInfo(keyReference, m.arn(), manager, m.keyStateAsString(), m.deletionDate(), m.validTo(),
                m.customKeyStoreId(), null);
    }

    /** One key; empty when KMS has no such key (NotFoundException): deleted, or never there. */
    public Optional<KeyInfo> key(String region, String keyReference) {
        return MissingResource.emptyIfNotFound(() -> Optional.of(describe(region, keyReference)));
    }

    @Override
    public List<String> keyArns(String region) {
        return AwsFailure.call("ListKeys " + region, () -> {
            List<String> out = new ArrayList<>();
            kms(region).listKeysPaginator(b -> b.limit(PAGE)).keys().stream().map(KeyListEntry::keyArn)
                    .forEach(out::add);
            return out;
        });
    }

    /** The key's policy document (the only policy name KMS has is "default"). */
    public String keyPolicy(String region, String keyArn) {
        return AwsFailure.call("GetKeyPolicy " + keyArn,
                () -> kms(region).getKeyPolicy(b -> b.keyId(keyArn).policyName("default")).policy());
    }

    /** Streams every custom key store of the region into {@code sink}, one page at a time. */
    public void customKeyStores(String region, Consumer<CustomKeyStore> sink) {
        AwsFailure.run("DescribeCustomKeyStores " + region, () -> kms(region)
                .describeCustomKeyStoresPaginator(b -> b.limit(PAGE)).customKeyStores()
                .forEach(s -> sink.accept(store(s, region))));
    }

    /** One custom key store by id; empty when the region has none of that id (CustomKeyStoreNotFoundException). */
    public Optional<CustomKeyStore> customKeyStore(String region, String id) {
        return MissingResource.emptyIfNotFound(() -> AwsFailure.call("DescribeCustomKeyStores " + id,
                () -> kms(region).describeCustomKeyStores(b -> b.customKeyStoreId(id)).customKeyStores().stream()
                        .map(s -> store(s, region)).findFirst()));
    }

    private static CustomKeyStore store(CustomKeyStoresListEntry s, String region) {
        return new CustomKeyStore(s.customKeyStoreId(), s.customKeyStoreName(),
                s.customKeyStoreTypeAsString() == null ? "AWS_CLOUDHSM" : s.customKeyStoreTypeAsString(), region,
                s.connectionStateAsString(), s.connectionErrorCodeAsString());
    }
}
