package dev.atrest.kms;

import dev.atrest.core.aws.Arns;
import dev.atrest.core.aws.AwsFailure;
import java.util.HashSet;
import java.util.Set;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;

/**
 * The Resource Groups Tagging API of one Region: the only class that knows its SDK types. Its answers are
 * eventually consistent (a tag set seconds ago may be missing), so they are never the only evidence for a write.
 */
public final class TaggingGateway {
    /** The most GetResources serves in one page. */
    static final int PAGE = 100;
    private static final String KMS_KEY_TYPE = "kms:key";

    private final ResourceGroupsTaggingApiClient tagging;
    private final String region;

    public TaggingGateway(ResourceGroupsTaggingApiClient tagging, String region) {
        this.tagging = tagging;
        this.region = region;
    }

    public String region() {
        return region;
    }

    /**
     * The ids of the Region's KMS keys that carry {@code tagKey} (with any value), in pages of {@value #PAGE}: one
     * request per hundred such keys, however many keys the Region has. A key that is absent does not carry it, as
     * far as the Tagging API knows now (GetResources never returns untagged resources).
     */
    public Set<String> kmsKeyIdsTagged(String tagKey) {
        return AwsFailure.call("GetResources " + region, () -> {
            Set<String> ids = new HashSet<>();
            for (ResourceTagMapping mapping : tagging.getResourcesPaginator(b -> b
                    .resourceTypeFilters(KMS_KEY_TYPE)
                    .tagFilters(f -> f.key(tagKey))
                    .resourcesPerPage(PAGE)).resourceTagMappingList()) {
                // Only what the answer really shows: a KMS key of this Region that carries the tag.
                boolean tagged = mapping.tags().stream().anyMatch(t -> tagKey.equals(t.key()));
                Arns.parse(mapping.resourceARN())
                        .filter(arn -> tagged && "kms".equals(arn.service()) && region.equals(arn.region().orElse(null))
                                && "key".equals(arn.resource().resourceType().orElse(null)))
                        .ifPresent(arn -> ids.add(arn.resource().resource()));
            }
            return ids;
        });
    }
}
