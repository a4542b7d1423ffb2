package dev.atrest.kms;

import dev.atrest.core.aws.AwsFailure;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.account.AccountClient;
import software.amazon.awssdk.services.account.model.Region;
import software.amazon.awssdk.services.account.model.RegionOptStatus;

/** AWS Account Management: the only class that knows its SDK types. */
public final class AccountGateway {
    private static final Set<RegionOptStatus> ENABLED = Set.of(RegionOptStatus.ENABLED,
            RegionOptStatus.ENABLED_BY_DEFAULT);

    private final AccountClient account;

    public AccountGateway(AccountClient account) {
        this.account = account;
    }

    /**
     * The Regions enabled for the account (opted in, or enabled by default) in the caller's partition. A Region
     * still being enabled or disabled is left out: its credentials may not work yet, or any more.
     */
    public List<String> enabledRegions() {
        return AwsFailure.call("ListRegions", () -> account.listRegionsPaginator(b -> b
                        .regionOptStatusContains(ENABLED))
                .regions().stream()
                // The filter is the service's; this keeps an answer that ignores it from reaching other Regions.
                .filter(r -> ENABLED.contains(r.regionOptStatus()))
                .map(Region::regionName)
                .toList());
    }
}
