package dev.atrest.kms;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.aws.Arns;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.aws.Priming;
import dev.atrest.core.config.ConfigLoader;
import dev.atrest.core.json.Json;
import dev.atrest.core.lambda.FunctionArn;
import dev.atrest.core.lambda.JsonHandler;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.account.AccountClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Entry point of KmsRotationFunction: CloudTrail KMS calls (via EventBridge) and the rotation sweep schedule. Parses
 * the event, runs the service, returns its JSON summary.
 */
public final class KmsRotationHandler extends JsonHandler {

    /** Time kept back from the timeout to finish the keys in flight and return the summary. */
    static final int TIME_MARGIN_MILLIS = 20_000;

    private final RotationConfig config;
    private final KeyRotationService service;
    private final java.util.function.Function<String, KmsGateway> kmsGateways;

    /** Lambda's constructor: the init. Invalid configuration fails here, naming the variable. */
    public KmsRotationHandler() {
        this(RotationConfig.load(ConfigLoader.fromEnvironment()), ClientFactory.fromEnvironment());
    }

    public KmsRotationHandler(RotationConfig config, ClientFactory clients) {
        this.config = config;
        Map<String, KmsGateway> kmsByRegion = new ConcurrentHashMap<>();
        Map<String, TaggingGateway> taggingByRegion = new ConcurrentHashMap<>();
        RemediationNotices notices = null;
        if (config.findingsTopicArn() != null) {
            Region topicRegion = Region.of(Arns.region(config.findingsTopicArn()));
            notices = new RemediationNotices(clients.client("sns", topicRegion, SnsClient::builder),
                    config.findingsTopicArn());
        }
        this.kmsGateways = region -> kmsByRegion.computeIfAbsent(region, r ->
                new KmsGateway(clients.client("kms", Region.of(r), KmsClient::builder), r));
        java.util.function.Function<String, TaggingGateway> tagging = region -> taggingByRegion.computeIfAbsent(
                region, r -> new TaggingGateway(clients.client("tagging", Region.of(r),
                        ResourceGroupsTaggingApiClient::builder), r));
        // Built on first use: only a sweep with REGIONS=all asks which Regions are enabled.
        java.util.function.Supplier<java.util.List<String>> enabledRegions = () ->
                new AccountGateway(clients.client("account", AccountClient::builder)).enabledRegions();
        this.service = new KeyRotationService(config, KeyRotationPolicy.of(config),
                new KeyRotationService.Gateways(kmsGateways, tagging, enabledRegions), clients.defaultRegion().id(),
                notices);
    }

    /**
     * Before the SnapStart snapshot: CloudTrail parsing and the reads every key costs (DescribeKey,
     * GetKeyRotationStatus) built, marshalled and signed but never sent. Reads only, so even a priming that failed to
     * stop could change nothing.
     */
    @Override
    protected void prime() {
        super.prime();
        TriggerParser.parse(Json.readTree(new java.io.ByteArrayInputStream(PRIMING_EVENT)));
        KmsGateway kms = kmsGateways.apply(service.homeRegion());
        String key = "arn:aws:kms:" + service.homeRegion() + ":111122223333:key/" + PRIMING_KEY_ID;
        Priming.offline(() -> kms.describe(key), () -> kms.rotationStatus(key));
        Priming.responseParsing(KmsClient.class);
    }

    private static final String PRIMING_KEY_ID = "00000000-0000-4000-8000-000000000000";
    private static final byte[] PRIMING_EVENT = ("{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":"
            + "\"aws.kms\",\"detail\":{\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"DisableKeyRotation\","
            + "\"awsRegion\":\"us-east-1\",\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/r/s\"},"
            + "\"requestParameters\":{\"keyId\":\"" + PRIMING_KEY_ID + "\"}}}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Override
    protected Object handle(JsonNode event, Context context) {
        Trigger trigger = TriggerParser.parse(event);
        String ownAccount = context == null ? null : FunctionArn.account(context.getInvokedFunctionArn());
        Optional<String> foreign = EventScope.outOfScope(event, trigger, ownAccount, service.homeRegion(),
                config.regions());
        if (foreign.isPresent()) {
            return service.skip(trigger, foreign.get());
        }
        return service.run(trigger,
                () -> context == null || context.getRemainingTimeInMillis() > TIME_MARGIN_MILLIS);
    }
}
