package dev.atrest.audit.aws;

import dev.atrest.core.aws.ClientFactory;

/** The audit's gateways, built once at init from the one client factory; checks take the ones they read through. */
public record AuditGateways(AccountIdentity identity, Ec2Gateway ec2, EfsGateway efs, FsxGateway fsx, S3Gateway s3,
        KmsGateway kms) {

    public static AuditGateways of(ClientFactory clients) {
        return new AuditGateways(new AccountIdentity(clients), new Ec2Gateway(clients), new EfsGateway(clients),
                new FsxGateway(clients), new S3Gateway(clients), new KmsGateway(clients));
    }
}
