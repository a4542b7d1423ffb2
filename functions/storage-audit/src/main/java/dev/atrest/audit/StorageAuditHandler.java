package dev.atrest.audit;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.audit.aws.AccountIdentity;
import dev.atrest.audit.aws.Ec2Gateway;
import dev.atrest.audit.aws.EfsGateway;
import dev.atrest.audit.aws.KmsGateway;
import dev.atrest.audit.aws.S3Gateway;
import dev.atrest.audit.aws.SecurityHubGateway;
import dev.atrest.audit.sink.ResourceTagSink;
import dev.atrest.audit.sink.SecurityHubSink;
import dev.atrest.core.aws.Arns;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.aws.Priming;
import dev.atrest.core.config.ConfigLoader;
import dev.atrest.core.findings.FindingSink;
import dev.atrest.core.findings.MetricsLogSink;
import dev.atrest.core.findings.SnsSummarySink;
import dev.atrest.core.json.Json;
import dev.atrest.core.lambda.Invocation;
import dev.atrest.core.lambda.JsonHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Scheduled storage audit: accepts the schedule's event, runs {@link StorageAuditService}, returns its summary.
 * A region or check that fails for good (access denied, an opted-out region) is reported in the summary and does not
 * fail the invocation. One that failed in a way a retry may fix (throttling or 5xx after the SDK's retries) fails
 * the invocation once every output is written: the summary of an asynchronous invocation is read by no one, while
 * the failure reaches Lambda's retries and then the on-failure queue. Re-running the whole audit is safe, because
 * finding ids are stable and resolution needs a complete scope.
 */
public final class StorageAuditHandler extends JsonHandler {

    private final StorageAuditService service;
    private final Ec2Gateway ec2;
    private final EfsGateway efs;
    private final String homeRegion;

    /** Lambda's constructor: the init phase (configuration and clients). */
    public StorageAuditHandler() {
        this(AuditConfig.load(ConfigLoader.fromEnvironment()), ClientFactory.fromEnvironment());
    }

    public StorageAuditHandler(AuditConfig config, ClientFactory clients) {
        this.ec2 = new Ec2Gateway(clients);
        this.efs = new EfsGateway(clients);
        this.homeRegion = clients.defaultRegion().id();
        Optional<SecurityHubGateway> hub = config.securityHubEnabled()
                ? Optional.of(new SecurityHubGateway(clients, StorageAuditService.SOURCE)) : Optional.empty();
        List<FindingSink> sinks = new ArrayList<>();
        sinks.add(new MetricsLogSink(Invocation.metrics()));
        hub.ifPresent(h -> sinks.add(new SecurityHubSink(h)));
        if (config.findingsTopicArn() != null) {
            Region topicRegion = Region.of(Arns.region(config.findingsTopicArn()));
            sinks.add(new SnsSummarySink(clients.client("sns", topicRegion, SnsClient::builder), config.findingsTopicArn()));
        }
        if (config.tagResources()) {
            sinks.add(new ResourceTagSink(ec2, efs, config.dryRun()));
        }
        this.service = new StorageAuditService(config, clients.defaultRegion().id(), new AccountIdentity(clients), ec2, efs,
                new S3Gateway(clients), new KmsGateway(clients), hub, sinks);
    }

    /**
     * Before the SnapStart snapshot: trigger parsing and the audit's first Describe requests built, marshalled and
     * signed but never sent. Reads only, so even a priming that failed to stop could change nothing.
     */
    @Override
    protected void prime() {
        super.prime();
        AuditTrigger.parse(Json.readTree(new java.io.ByteArrayInputStream(PRIMING_EVENT)));
        String partition = AccountIdentity.partition(homeRegion);
        Priming.offline(
                () -> ec2.volumes(homeRegion, "111122223333", partition, v -> { }),
                () -> ec2.snapshots(homeRegion, partition, s -> { }),
                () -> ec2.encryptionByDefault(homeRegion),
                () -> efs.fileSystems(homeRegion, f -> { }));
    }

    private static final byte[] PRIMING_EVENT = ("{\"detail-type\":\"Scheduled Event\",\"source\":\"atrest.scheduler\","
            + "\"detail\":{\"task\":\"storage-audit\"}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Override
    protected Object handle(JsonNode event, Context context) {
        return service.run(AuditTrigger.parse(event), context == null ? null : context.getInvokedFunctionArn());
    }
}
