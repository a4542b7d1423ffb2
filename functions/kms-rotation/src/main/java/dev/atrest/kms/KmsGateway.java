package dev.atrest.kms;

import dev.atrest.core.aws.AwsFailure.Kind;
import dev.atrest.core.aws.AwsFailure;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.ListResourceTagsResponse;
import software.amazon.awssdk.services.kms.model.MultiRegionConfiguration;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * The only class that speaks KMS: one region's client, SDK types mapped to plain records, SDK exceptions mapped to
 * {@link AwsFailure.Kind}. Retries are the SDK's own (its standard retry strategy), never repeated here.
 */
public final class KmsGateway {
    private final KmsClient kms;
    private final String region;

    public KmsGateway(KmsClient kms, String region) {
        this.kms = kms;
        this.region = region;
    }

    public String region() {
        return region;
    }

    /** DescribeKey accepts a key id, key ARN, alias name or alias ARN. */
    public KeyFacts describe(String keyRef) {
        KeyMetadata meta = call("DescribeKey", () -> kms.describeKey(b -> b.keyId(keyRef)).keyMetadata());
        MultiRegionConfiguration mrk = meta.multiRegionConfiguration();
        return new KeyFacts(meta.arn(), meta.keyId(), region, meta.keyManagerAsString(), meta.keySpecAsString(),
                meta.keyUsageAsString(), meta.originAsString(), meta.keyStateAsString(), meta.customKeyStoreId(),
                mrk == null ? null : mrk.multiRegionKeyTypeAsString(),
                mrk == null || mrk.primaryKey() == null ? null : mrk.primaryKey().arn(),
                mrk == null || mrk.primaryKey() == null ? null : mrk.primaryKey().region());
    }

    /** Rotation operations take a key id or key ARN only; callers pass the ARN from {@link #describe}. */
    public RotationStatus rotationStatus(String keyArn) {
        GetKeyRotationStatusResponse r = call("GetKeyRotationStatus",
                () -> kms.getKeyRotationStatus(b -> b.keyId(keyArn)));
        return new RotationStatus(Boolean.TRUE.equals(r.keyRotationEnabled()), r.rotationPeriodInDays(),
                r.nextRotationDate());
    }

    public Set<String> tagKeys(String keyArn) {
        return call("ListResourceTags", () -> {
            Set<String> keys = new HashSet<>();
            for (ListResourceTagsResponse page : kms.listResourceTagsPaginator(b -> b.keyId(keyArn))) {
                page.tags().stream().map(Tag::tagKey).forEach(keys::add);
            }
            return keys;
        });
    }

    public void enableRotation(String keyArn, int periodDays) {
        call("EnableKeyRotation", () -> kms.enableKeyRotation(b -> b.keyId(keyArn).rotationPeriodInDays(periodDays)));
    }

    /** The most aliases ListAliases returns in one page. */
    static final int ALIAS_PAGE = 100;

    /**
     * The Region's keys that an alias reserved for AWS managed keys points at (key id to alias name): the Region's
     * AWS managed keys that exist, without describing each. ListAliases lists every alias of the Region, those
     * predefined by AWS with no key yet among them (they have no target and are left out).
     */
    public Map<String, String> awsManagedKeyIds() {
        return call("ListAliases", () -> {
            Map<String, String> ids = new HashMap<>();
            for (AliasListEntry alias : kms.listAliasesPaginator(b -> b.limit(ALIAS_PAGE)).aliases()) {
                if (alias.targetKeyId() != null && SweepRules.reservedForAwsManagedKeys(alias.aliasName())) {
                    ids.put(alias.targetKeyId(), alias.aliasName());
                }
            }
            return ids;
        });
    }

    /** Every key ARN of the region, page by page (ListKeys paginator with {@code pageSize} as Limit). */
    public void forEachKey(int pageSize, Consumer<String> action) {
        call("ListKeys", () -> {
            kms.listKeysPaginator(b -> b.limit(pageSize)).keys().forEach(k -> action.accept(k.keyArn()));
            return null;
        });
    }

    /** KMS's own meaning of two codes: the key's state forbids the call now (disabled, pending deletion or import). */
    static final AwsFailure.ServiceErrors ERRORS = (code, status) ->
            "KMSInvalidStateException".equals(code) || "DisabledException".equals(code)
                    ? Optional.of(Kind.PRECONDITION_FAILED) : Optional.empty();

    private static <T> T call(String operation, Supplier<T> body) {
        return AwsFailure.call(operation, ERRORS, body);
    }
}
