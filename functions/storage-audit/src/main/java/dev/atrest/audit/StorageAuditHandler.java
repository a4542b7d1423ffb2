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
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.config.ConfigLoader;
import dev.atrest.core.findings.FindingSink;
import dev.atrest.core.findings.MetricsLogSink;
import dev.atrest.core.findings.SnsSummarySink;
import dev.atrest.core.lambda.Invocation;
import dev.atrest.core.lambda.JsonHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Scheduled storage audit: accepts the schedule's event, runs {@link StorageAuditService}, returns its summary.
 * A region or check that fails is reported in the summary instead of failing the invocation: the next scheduled run
 * repeats the whole audit anyway, and a retry would redo every region that succeeded.
 */
public final class StorageAuditHandler extends JsonHandler {
    private final StorageAuditService service;

    /** Lambda's constructor: the init phase (configuration and clients). */
    public StorageAuditHandler() {
        this(AuditConfig.load(ConfigLoader.fromEnvironment()), ClientFactory.fromEnvironment());
    }

    public StorageAuditHandler(AuditConfig config, ClientFactory clients) {
        Ec2Gateway ec2 = new Ec2Gateway(clients);
        EfsGateway efs = new EfsGateway(clients);
        Optional<SecurityHubGateway> hub = config.securityHubEnabled()
                ? Optional.of(new SecurityHubGateway(clients, StorageAuditService.SOURCE)) : Optional.empty();
        List<FindingSink> sinks = new ArrayList<>();
        sinks.add(new MetricsLogSink(Invocation.metrics()));
        hub.ifPresent(h -> sinks.add(new SecurityHubSink(h)));
        if (config.findingsTopicArn() != null) {
            Region topicRegion = Region.of(config.findingsTopicArn().split(":")[3]);
            sinks.add(new SnsSummarySink(clients.client("sns", topicRegion, SnsClient::builder), config.findingsTopicArn()));
        }
        if (config.tagResources()) {
            sinks.add(new ResourceTagSink(ec2, efs, config.dryRun()));
        }
        this.service = new StorageAuditService(config, clients.defaultRegion().id(), new AccountIdentity(clients), ec2, efs,
                new S3Gateway(clients), new KmsGateway(clients), hub, sinks);
    }

    @Override
    protected Object handle(JsonNode event, Context context) {
        return service.run(AuditTrigger.parse(event), context == null ? null : accountOf(context.getInvokedFunctionArn()));
    }

    /** The account of a Lambda function ARN ({@code arn:aws:lambda:region:account:function:name[:qualifier]}). */
    static String accountOf(String functionArn) {
        if (functionArn == null) {
            return null;
        }
        String[] parts = functionArn.split(":");
        return parts.length >= 7 && parts[4].matches("\\d{12}") ? parts[4] : null;
    }
}
