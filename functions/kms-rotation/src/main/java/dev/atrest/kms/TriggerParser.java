package dev.atrest.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.config.ConfigLoader;
import dev.atrest.core.json.MalformedEventException;
import java.util.Set;

/**
 * Turns an invocation event into a {@link Trigger}. Pure: anything it cannot understand becomes a
 * {@link MalformedEventException} naming what is wrong, before any AWS call.
 */
public final class TriggerParser {
    static final String CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail";
    static final String SCHEDULED_DETAIL_TYPE = "Scheduled Event";
    static final String SWEEP_TASK = "rotation-sweep";
    /** EventBridge rules (aws.events), EventBridge Scheduler (aws.scheduler) and the template's own schedule input. */
    static final Set<String> SCHEDULE_SOURCES = Set.of("aws.events", "aws.scheduler", "atrest.scheduler");

    private TriggerParser() {}

    public static Trigger parse(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new MalformedEventException("event is not a JSON object");
        }
        String detailType = Caller.text(event, "detail-type");
        String source = Caller.text(event, "source");
        if (SCHEDULED_DETAIL_TYPE.equals(detailType) && SCHEDULE_SOURCES.contains(source)) {
            String task = Caller.text(event.path("detail"), "task");
            if (task != null && !SWEEP_TASK.equals(task)) {
                throw new MalformedEventException("scheduled event asks for task '" + task + "'; this function only runs '"
                        + SWEEP_TASK + "'");
            }
            return new Trigger.Sweep(source);
        }
        if (CLOUDTRAIL_DETAIL_TYPE.equals(detailType) && "aws.kms".equals(source)) {
            return new Trigger.KeyEvent(parseCall(event));
        }
        throw new MalformedEventException("unsupported event: source '" + source + "', detail-type '" + detailType
                + "' (expected aws.kms '" + CLOUDTRAIL_DETAIL_TYPE + "' or a '" + SCHEDULED_DETAIL_TYPE + "')");
    }

    private static KeyApiCall parseCall(JsonNode event) {
        JsonNode detail = event.get("detail");
        if (detail == null || !detail.isObject()) {
            throw new MalformedEventException("CloudTrail event has no detail record");
        }
        String eventName = Caller.text(detail, "eventName");
        if (eventName == null) {
            throw new MalformedEventException("CloudTrail record has no eventName");
        }
        String region = Caller.text(detail, "awsRegion");
        if (region == null) {
            region = Caller.text(event, "region");
        }
        if (region == null || !ConfigLoader.REGION.matcher(region).matches()) {
            throw new MalformedEventException("CloudTrail record has no valid awsRegion: '" + region + "'");
        }
        String errorCode = Caller.text(detail, "errorCode");
        String keyRef = keyRef(eventName, detail);
        if (errorCode == null) {
            if (keyRef == null) {
                throw new MalformedEventException(eventName + " record names no KMS key (requestParameters.keyId, "
                        + "responseElements.keyMetadata or resources)");
            }
            if (!ConfigLoader.KMS_KEY_REFERENCE.matcher(keyRef).matches()) {
                throw new MalformedEventException(eventName + " record names an invalid KMS key: '"
                        + abbreviate(keyRef) + "'");
            }
        }
        JsonNode period = detail.path("requestParameters").get("rotationPeriodInDays");
        Integer requestedPeriod = null;
        if (period != null && !period.isNull()) {
            if (period.isIntegralNumber() && period.canConvertToInt()) {
                requestedPeriod = period.intValue();
            } else if (period.isTextual()) {
                requestedPeriod = parseInt(period.asText());
            } else {
                throw new MalformedEventException("rotationPeriodInDays is not an integer: " + period);
            }
        }
        return new KeyApiCall(eventName, Caller.text(detail, "eventID"), Caller.text(detail, "eventTime"), region,
                keyRef, requestedPeriod, errorCode, Caller.text(detail, "errorMessage"),
                Caller.from(detail.get("userIdentity")));
    }

    /** The key the call is about. ReplicateKey names the primary in requestParameters: rotation is set there. */
    private static String keyRef(String eventName, JsonNode detail) {
        String ref = null;
        if ("CreateKey".equals(eventName)) {
            JsonNode meta = detail.path("responseElements").path("keyMetadata");
            ref = Caller.text(meta, "arn");
            if (ref == null) {
                ref = Caller.text(meta, "keyId");
            }
        } else {
            ref = Caller.text(detail.path("requestParameters"), "keyId");
        }
        if (ref == null) {
            for (JsonNode resource : detail.path("resources")) {
                if ("AWS::KMS::Key".equals(Caller.text(resource, "type")) && Caller.text(resource, "ARN") != null) {
                    return Caller.text(resource, "ARN");
                }
            }
        }
        return ref;
    }

    private static Integer parseInt(String text) {
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new MalformedEventException("rotationPeriodInDays is not an integer: '" + abbreviate(text) + "'");
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 120 ? value : value.substring(0, 117) + "...";
    }
}
