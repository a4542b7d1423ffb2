package dev.atrest.audit;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.audit.aws.AuditGateways;
import dev.atrest.audit.aws.SecurityHubGateway;
import dev.atrest.audit.check.CheckRegistry;
import dev.atrest.audit.sink.ReportSink;
import dev.atrest.audit.sink.ResourceTagSink;
import dev.atrest.audit.sink.SecurityHubSink;
import dev.atrest.core.aws.Arns;
import dev.atrest.core.aws.ClientFactory;
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

    /** Lambda's constructor: the init phase (configuration and clients). */
    public StorageAuditHandler() {
        this(AuditConfig.load(ConfigLoader.fromEnvironment()), ClientFactory.fromEnvironment());
    }

    public StorageAuditHandler(AuditConfig config, ClientFactory clients) {
        AuditGateways aws = AuditGateways.of(clients);
        CheckRegistry checks = CheckRegistry.standard(aws);
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
            sinks.add(new ResourceTagSink(checks, config.dryRun()));
        }
        if (config.reportLocation() != null) {
            sinks.add(new ReportSink(aws.s3(), config.reportBucket(), config.reportPrefix(), config.reportKmsKeyArn()));
        }
        this.service = new StorageAuditService(config, clients.defaultRegion().id(), aws, checks, hub, sinks);
    }

    /**
     * Before the SnapStart snapshot: trigger parsing and the audit's first requests of every region check built,
     * marshalled and signed but never sent. Reads only, so even a priming that failed to stop could change nothing.
     */
    @Override
    protected void prime() {
        super.prime();
        AuditTrigger.parse(Json.readTree(new java.io.ByteArrayInputStream(PRIMING_EVENT)));
        AuditTrigger.parse(Json.readTree(new java.io.ByteArrayInputStream(PRIMING_CHANGE)));
        service.prime();
    }

    private static final byte[] PRIMING_EVENT = ("{\"detail-type\":\"Scheduled Event\",\"source\":\"atrest.scheduler\","
            + "\"detail\":{\"task\":\"storage-audit\"}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** An event about one resource: the change path's parsing warmed too (nothing is read or audited). */
    private static final byte[] PRIMING_CHANGE = ("{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":"
            + "\"aws.kms\",\"detail\":{\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"DisableKey\","
            + "\"requestParameters\":{\"keyId\":\"1234abcd-12ab-34cd-56ef-1234567890ab\"}}}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Override
    protected Object handle(JsonNode event, Context context) {
        return service.run(AuditTrigger.parse(event), context == null ? null : context.getInvokedFunctionArn());
    }
}
