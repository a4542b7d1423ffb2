package dev.atrest.kms;

import static dev.atrest.core.json.UntrustedText.abbreviate;

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
    static final String KMS_EVENT_SOURCE = "kms.amazonaws.com";
    /** EventBridge rules (aws.events), EventBridge Scheduler (aws.scheduler) and the template's own schedule input. */
    static final Set<String> SCHEDULE_SOURCES = Set.of("aws.events", "aws.scheduler", "atrest.scheduler");

    private TriggerParser() {}

    public static Trigger parse(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new MalformedEventException("event is not a JSON object");
        }
        String detailType = string(event, "detail-type");
        String source = string(event, "source");
        // Set.of(...).contains(null) throws NullPointerException: a scheduled event without a source is checked first.
        if (SCHEDULED_DETAIL_TYPE.equals(detailType) && source != null && SCHEDULE_SOURCES.contains(source)) {
            JsonNode detail = object(event, "detail");
            String task = detail == null ? null : string(detail, "task");
            if (task != null && !SWEEP_TASK.equals(task)) {
                throw new MalformedEventException("scheduled event asks for task '" + abbreviate(task)
                        + "'; this function only runs '" + SWEEP_TASK + "'");
            }
            return new Trigger.Sweep(source);
        }
        if (CLOUDTRAIL_DETAIL_TYPE.equals(detailType) && "aws.kms".equals(source)) {
            return new Trigger.KeyEvent(parseCall(event));
        }
        throw new MalformedEventException("unsupported event: source '" + abbreviate(source) + "', detail-type '"
                + abbreviate(detailType) + "' (expected aws.kms '" + CLOUDTRAIL_DETAIL_TYPE + "' or a '"
                + SCHEDULED_DETAIL_TYPE + "')");
    }

    private static KeyApiCall parseCall(JsonNode event) {
        JsonNode detail = event.get("detail");
        if (detail == null || !detail.isObject()) {
            throw new MalformedEventException("CloudTrail event has no detail record");
        }
        String eventSource = string(detail, "eventSource");
        if (eventSource != null && !KMS_EVENT_SOURCE.equals(eventSource)) {
            throw new MalformedEventException("aws.kms event records a call to '" + abbreviate(eventSource)
                    + "', not " + KMS_EVENT_SOURCE);
        }
        String eventName = abbreviate(string(detail, "eventName"));
        if (eventName == null) {
            throw new MalformedEventException("CloudTrail record has no eventName");
        }
        String region = string(detail, "awsRegion");
        if (region == null) {
            region = string(event, "region");
        }
        if (region == null || !ConfigLoader.REGION.matcher(region).matches()) {
            throw new MalformedEventException("CloudTrail record has no valid awsRegion: '" + abbreviate(region) + "'");
        }
        // Any errorCode at all (even an empty or odd one) means the call did not succeed: never act on a doubt.
        JsonNode errorNode = detail.get("errorCode");
        String errorCode = errorNode == null || errorNode.isNull() ? null
                : errorNode.isTextual() ? abbreviate(errorNode.asText()) : abbreviate(errorNode.toString());
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
        } else if (keyRef != null && !ConfigLoader.KMS_KEY_REFERENCE.matcher(keyRef).matches()) {
            keyRef = abbreviate(keyRef); // only shown in the summary of the ignored call
        }
        JsonNode request = object(detail, "requestParameters");
        JsonNode period = request == null ? null : request.get("rotationPeriodInDays");
        Integer requestedPeriod = null;
        if (period != null && !period.isNull()) {
            if (period.isIntegralNumber() && period.canConvertToInt()) {
                requestedPeriod = period.intValue();
            } else if (period.isTextual()) {
                requestedPeriod = parseInt(period.asText());
            } else {
                throw new MalformedEventException("rotationPeriodInDays is not an integer: "
                        + abbreviate(period.toString()));
            }
            if (errorCode == null
                    && (requestedPeriod < RotationConfig.MIN_PERIOD || requestedPeriod > RotationConfig.MAX_PERIOD)) {
                throw new MalformedEventException("rotationPeriodInDays " + requestedPeriod + " is outside KMS's "
                        + RotationConfig.MIN_PERIOD + ".." + RotationConfig.MAX_PERIOD + ": no successful call sets it");
            }
        }
        return new KeyApiCall(eventName, abbreviate(Caller.text(detail, "eventID")),
                abbreviate(Caller.text(detail, "eventTime")), region, keyRef, requestedPeriod, errorCode,
                abbreviate(Caller.text(detail, "errorMessage")),
                Caller.from(detail.get("userIdentity")));
    }

    /** The key the call is about. ReplicateKey names the primary in requestParameters: rotation is set there. */
    private static String keyRef(String eventName, JsonNode detail) {
        String ref = null;
        if ("CreateKey".equals(eventName)) {
            JsonNode response = object(detail, "responseElements");
            JsonNode meta = response == null ? null : object(response, "keyMetadata");
            if (meta != null) {
                ref = string(meta, "arn");
                if (ref == null) {
                    ref = string(meta, "keyId");
                }
            }
        } else {
            JsonNode request = object(detail, "requestParameters");
            ref = request == null ? null : string(request, "keyId");
        }
        JsonNode resources = detail.get("resources");
        if (ref == null && resources != null && resources.isArray()) {
            for (JsonNode resource : resources) {
                if (resource.isObject() && "AWS::KMS::Key".equals(string(resource, "type"))
                        && string(resource, "ARN") != null) {
                    return string(resource, "ARN");
                }
            }
        }
        return ref;
    }

    /**
     * A field the decision depends on: absent, null or blank gives null; a string gives it; any other JSON type is
     * malformed (a number or object where CloudTrail writes a string is never coerced into a key or a region).
     */
    static String string(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new MalformedEventException("field '" + field + "' is a " + value.getNodeType().name().toLowerCase(
                    java.util.Locale.ROOT) + ", not a string");
        }
        return value.asText().isBlank() ? null : value.asText();
    }

    /** An object field: absent or null gives null; any other type than an object is malformed. */
    static JsonNode object(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new MalformedEventException("field '" + field + "' is a " + value.getNodeType().name().toLowerCase(
                    java.util.Locale.ROOT) + ", not an object");
        }
        return value;
    }

    private static Integer parseInt(String text) {
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new MalformedEventException("rotationPeriodInDays is not an integer: '" + abbreviate(text) + "'");
        }
    }
}
