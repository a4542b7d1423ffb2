package dev.atrest.backfill;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.aws.Arns;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.aws.Priming;
import dev.atrest.core.config.ConfigLoader;
import dev.atrest.core.json.Json;
import dev.atrest.core.lambda.FunctionArn;
import dev.atrest.core.lambda.Invocation;
import dev.atrest.core.lambda.JsonHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Entry point of S3BackfillFunction: a manual invocation, the optional schedule, and the status changes of the
 * Batch Operations jobs it created (CloudTrail through EventBridge). Parses the event, runs the service, returns its
 * JSON summary.
 */
public final class S3BackfillHandler extends JsonHandler {
    private final BackfillService service;
    private final S3Gateway s3;
    private final Function<String, S3ControlGateway> controls;

    /** Lambda's constructor: the init. Invalid configuration fails here, naming the variable. */
    public S3BackfillHandler() {
        this(ClientFactory.fromEnvironment());
    }

    private S3BackfillHandler(ClientFactory clients) {
        this(BackfillConfig.load(ConfigLoader.fromEnvironment(),
                new KeyResolver(clients.client("kms", KmsClient::builder))::describe), clients);
    }

    public S3BackfillHandler(BackfillConfig config, ClientFactory clients) {
        this.s3 = new S3Gateway(
                clients.client("s3", () -> S3Client.builder().forcePathStyle(ClientFactory.s3PathStyle())),
                config.accountId());
        BackfillNotice notice = null;
        if (config.findingsTopicArn() != null) {
            notice = new BackfillNotice(clients.client("sns", Region.of(Arns.region(config.findingsTopicArn())),
                    SnsClient::builder), config.findingsTopicArn());
        }
        Map<String, S3ControlGateway> byRegion = new ConcurrentHashMap<>();
        this.controls = region -> byRegion.computeIfAbsent(region, r -> new S3ControlGateway(
                clients.client("s3control", Region.of(r), S3ControlGateway::builder)));
        this.service = new BackfillService(config, clients.defaultRegion().id(), controls, s3,
                new BackfillMetrics(Invocation.metrics()), notice);
    }

    /**
     * Before the SnapStart snapshot: trigger parsing and the reads of a job event (GetJobTagging, DescribeJob) and of
     * a start (GetBucketLocation) built, marshalled and signed but never sent. Reads only, so even a priming that
     * failed to stop could change nothing.
     */
    @Override
    protected void prime() {
        super.prime();
        TriggerParser.parse(Json.readTree(new java.io.ByteArrayInputStream(PRIMING_EVENT)));
        S3ControlGateway control = controls.apply(service.homeRegion());
        Priming.offline(() -> control.tags(PRIMING_ACCOUNT, PRIMING_JOB),
                () -> control.describe(PRIMING_ACCOUNT, PRIMING_JOB),
                () -> s3.region("atrest-priming", PRIMING_ACCOUNT));
    }

    private static final String PRIMING_ACCOUNT = "111122223333";
    private static final String PRIMING_JOB = "00000000-0000-4000-8000-000000000000";
    private static final byte[] PRIMING_EVENT = ("{\"detail-type\":\"AWS Service Event via CloudTrail\",\"source\":"
            + "\"aws.s3\",\"detail\":{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"JobStatusChanged\","
            + "\"serviceEventDetails\":{\"jobId\":\"" + PRIMING_JOB + "\",\"status\":\"Complete\"}}}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Override
    protected Object handle(JsonNode event, Context context) {
        BackfillTrigger trigger = TriggerParser.parse(event);
        String functionArn = context == null ? null : context.getInvokedFunctionArn();
        String account = FunctionArn.account(functionArn);
        if (account == null) {
            // Every job names its account and every bucket its expected owner: without our own, act on nothing.
            throw new IllegalStateException("the function's own account is unknown (no invoked function ARN): "
                    + "nothing is done");
        }
        return service.run(trigger, new Caller(account, FunctionArn.partition(functionArn), context.getAwsRequestId()));
    }
}
