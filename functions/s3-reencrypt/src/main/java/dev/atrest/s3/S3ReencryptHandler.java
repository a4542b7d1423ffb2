package dev.atrest.s3;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.aws.Priming;
import dev.atrest.core.config.ConfigLoader;
import dev.atrest.core.json.Json;
import dev.atrest.core.lambda.FunctionArn;
import dev.atrest.core.lambda.JsonHandler;
import dev.atrest.core.summary.ItemResult;
import dev.atrest.core.summary.RunSummary;
import java.util.List;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Entry point of S3ReencryptFunction: S3 event notifications, EventBridge "Object Created" events and S3 Batch
 * Operations (schema 2.0) invocations. Parses the event, runs the service, answers in the trigger's shape.
 */
public final class S3ReencryptHandler extends JsonHandler {
    static final String FUNCTION = "S3ReencryptFunction";

    private final ReencryptService service;
    private final S3Gateway s3;
    private final String homeRegion;

    /** Lambda's constructor: the init. Invalid configuration fails here, naming the variable. */
    public S3ReencryptHandler() {
        this(ClientFactory.fromEnvironment());
    }

    private S3ReencryptHandler(ClientFactory clients) {
        this(ReencryptConfig.load(ConfigLoader.fromEnvironment(),
                new KmsKeys(clients.client("kms", KmsClient::builder))::describe), clients);
    }

    public S3ReencryptHandler(ReencryptConfig config, ClientFactory clients) {
        this.homeRegion = clients.defaultRegion() == null ? null : clients.defaultRegion().id();
        this.s3 = new S3Gateway(
                clients.client("s3", () -> S3Client.builder().forcePathStyle(ClientFactory.s3PathStyle())),
                config.accountId());
        this.service = new ReencryptService(config, s3, homeRegion);
    }

    /**
     * Before the SnapStart snapshot: event parsing and a HeadObject built, marshalled and signed but never sent
     * (a read, so even a priming that failed to stop could change nothing).
     */
    @Override
    protected void prime() {
        super.prime();
        EventParser.parse(Json.readTree(new java.io.ByteArrayInputStream(PRIMING_EVENT)), null, homeRegion);
        Priming.offline(() -> s3.head("atrest-priming", "priming/key", null));
    }

    private static final byte[] PRIMING_EVENT = ("{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":"
            + "\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"atrest-priming\"},\"object\":{\"key\":"
            + "\"priming/a+b%C3%BC\"}}}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Override
    protected Object handle(JsonNode event, Context context) {
        // Events naming another account or region are skipped: the function acts only on its own account's objects.
        Trigger trigger = EventParser.parse(event,
                FunctionArn.account(context == null ? null : context.getInvokedFunctionArn()), homeRegion);
        // Created before the work so its duration covers it.
        RunSummary summary = new RunSummary(FUNCTION, trigger.kind().label(), service.config().dryRun());
        List<ItemResult> items = service.process(trigger.tasks());
        if (trigger.kind() == Trigger.Kind.BATCH_OPERATIONS) {
            // Batch Operations reads per-task result codes: retryable tasks are retried by the job, not by Lambda.
            return BatchResults.response(trigger, items);
        }
        items.forEach(summary::add);
        return summary.finish();
    }
}
