package dev.atrest.audit.aws;

import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.aws.ClientFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.services.sts.StsClient;

/** The account and partition the function runs in: finding ids and ARNs are built from them. */
public final class AccountIdentity {
    private final ClientFactory clients;
    private volatile String accountId;

    public AccountIdentity(ClientFactory clients) {
        this.clients = clients;
    }

    public String accountId() {
        if (accountId == null) {
            accountId = AwsFailure.call("GetCallerIdentity",
                    () -> clients.client("sts", StsClient::builder).getCallerIdentity().account());
        }
        return accountId;
    }

    public static String partition(String region) {
        RegionMetadata metadata = Region.of(region).metadata();
        return metadata == null ? "aws" : metadata.partition().id();
    }
}
