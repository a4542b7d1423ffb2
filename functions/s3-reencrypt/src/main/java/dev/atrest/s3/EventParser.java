package dev.atrest.s3;

import static dev.atrest.core.json.UntrustedText.abbreviate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.MalformedEventException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the three trigger shapes into {@link Trigger}s. An event whose envelope cannot be understood is a
 * {@link MalformedEventException} (before any S3 call); a record inside a good envelope that cannot be understood
 * becomes a task with a problem, so the other records are still processed.
 */
public final class EventParser {
    private EventParser() {}

    /** S3 object keys are at most 1024 bytes of UTF-8. */
    static final int MAX_KEY_BYTES = 1024;

    public static Trigger parse(JsonNode event) {
        return parse(event, null, null);
    }

    /**
     * @param ownAccount the function's account (from the invoked function ARN); null when unknown
     * @param homeRegion the function's region; null when unknown. A record for another account or region becomes a
     *     task that is skipped with the reason, before any S3 call.
     */
    public static Trigger parse(JsonNode event, String ownAccount, String homeRegion) {
        Trigger trigger = parseShape(event);
        if (trigger.kind() == Trigger.Kind.S3_NOTIFICATION) {
            List<ObjectTask> scoped = new ArrayList<>();
            JsonNode records = event.get("Records");
            for (int i = 0; i < trigger.tasks().size(); i++) {
                ObjectTask t = trigger.tasks().get(i);
                String region = t.problem() == null ? optionalText(records.get(i), "awsRegion") : null;
                scoped.add(region != null && homeRegion != null && !homeRegion.equals(region)
                        ? t.withOutOfScope("event for another region (awsRegion '" + abbreviate(region)
                                + "'; this function works in " + homeRegion + "): not acted on")
                        : t);
            }
            return new Trigger(trigger.kind(), trigger.invocationId(), trigger.schemaVersion(), scoped);
        }
        if (trigger.kind() == Trigger.Kind.EVENTBRIDGE) {
            String account = optionalText(event, "account");
            String region = optionalText(event, "region");
            String reason = null;
            if (account != null && ownAccount != null && !ownAccount.equals(account)) {
                reason = "event for another account ('" + abbreviate(account) + "'; this function works in "
                        + ownAccount + "): not acted on";
            } else if (region != null && homeRegion != null && !homeRegion.equals(region)) {
                reason = "event for another region ('" + abbreviate(region) + "'; this function works in "
                        + homeRegion + "): not acted on";
            }
            if (reason != null) {
                String why = reason;
                return new Trigger(trigger.kind(), null, null, trigger.tasks().stream()
                        .map(t -> t.problem() == null ? t.withOutOfScope(why) : t).toList());
            }
        }
        return trigger;
    }

    private static Trigger parseShape(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new MalformedEventException("event is not a JSON object");
        }
        if (event.has("Records")) {
            return notification(event.get("Records"));
        }
        if (event.has("invocationSchemaVersion")) {
            return batch(event);
        }
        if (event.has("detail-type")) {
            return eventBridge(event);
        }
        throw new MalformedEventException("unknown event shape: expected S3 notification Records, an EventBridge "
                + "'Object Created' event or an S3 Batch Operations invocation");
    }

    private static Trigger notification(JsonNode records) {
        if (!records.isArray()) {
            throw new MalformedEventException("Records is not an array");
        }
        if (records.isEmpty()) {
            throw new MalformedEventException("Records is empty");
        }
        List<ObjectTask> tasks = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            tasks.add(notificationRecord("Records[" + i + "]", records.get(i)));
        }
        return new Trigger(Trigger.Kind.S3_NOTIFICATION, null, null, tasks);
    }

    private static ObjectTask notificationRecord(String id, JsonNode record) {
        if (!record.isObject()) {
            return ObjectTask.malformed(id, "record is not an object");
        }
        String source = optionalText(record, "eventSource");
        if (source != null && !"aws:s3".equals(source)) {
            return ObjectTask.malformed(id, "eventSource is '" + abbreviate(source) + "', not aws:s3");
        }
        if (wrongType(record, "eventSource") || wrongType(record, "eventName") || wrongType(record, "awsRegion")) {
            return ObjectTask.malformed(id, "eventSource, eventName and awsRegion must be strings when present");
        }
        String eventName = optionalText(record, "eventName");
        if (eventName != null && !eventName.startsWith("ObjectCreated:")) {
            return ObjectTask.malformed(id, "eventName '" + abbreviate(eventName) + "' is not an ObjectCreated event");
        }
        JsonNode s3 = record.path("s3");
        String bucket = requiredText(s3.path("bucket"), "name");
        String rawKey = requiredText(s3.path("object"), "key");
        if (bucket == null || rawKey == null) {
            return ObjectTask.malformed(id, "s3.bucket.name and s3.object.key must be non-empty strings");
        }
        String key;
        try {
            // Notification keys are form-encoded: '+' is a space, '%2B' a plus.
            key = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return ObjectTask.malformed(id, "s3.object.key '" + abbreviate(rawKey) + "' is not URL-encoded: "
                    + abbreviate(e.getMessage()));
        }
        String keyProblem = keyProblem(key);
        if (keyProblem != null) {
            return ObjectTask.malformed(id, "s3.object.key " + keyProblem);
        }
        String principal = optionalText(record.path("userIdentity"), "principalId");
        return new ObjectTask(id, bucket, key, null, principal, null);
    }

    private static Trigger eventBridge(JsonNode event) {
        String detailType = optionalText(event, "detail-type");
        String source = optionalText(event, "source");
        if (!"Object Created".equals(detailType) || !"aws.s3".equals(source)) {
            throw new MalformedEventException("EventBridge event '" + abbreviate(detailType) + "' from '"
                    + abbreviate(source) + "' is not an S3 'Object Created' event");
        }
        if (wrongType(event, "account") || wrongType(event, "region")) {
            throw new MalformedEventException("account and region must be strings when present");
        }
        JsonNode detail = event.path("detail");
        if (!detail.isObject()) {
            throw new MalformedEventException("detail is missing or not an object");
        }
        String id = optionalText(event, "id");
        id = id == null ? "detail" : id;
        String bucket = requiredText(detail.path("bucket"), "name");
        // EventBridge carries the key as it is, not form-encoded like notifications.
        String key = requiredText(detail.path("object"), "key");
        if (bucket == null || key == null) {
            return new Trigger(Trigger.Kind.EVENTBRIDGE, null, null, List.of(ObjectTask.malformed(id,
                    "detail.bucket.name and detail.object.key must be non-empty strings")));
        }
        String keyProblem = keyProblem(key);
        if (keyProblem != null) {
            return new Trigger(Trigger.Kind.EVENTBRIDGE, null, null, List.of(ObjectTask.malformed(id,
                    "detail.object.key " + keyProblem)));
        }
        // The requester is an account id or service principal, never our role: it cannot identify our own writes.
        return new Trigger(Trigger.Kind.EVENTBRIDGE, null, null, List.of(new ObjectTask(id, bucket, key, null, null,
                null)));
    }

    private static Trigger batch(JsonNode event) {
        String schema = optionalText(event, "invocationSchemaVersion");
        if (!"2.0".equals(schema)) {
            throw new MalformedEventException("invocationSchemaVersion '" + abbreviate(schema)
                    + "' is not supported: use 2.0");
        }
        String invocationId = requiredText(event, "invocationId");
        if (invocationId == null) {
            throw new MalformedEventException("invocationId is missing");
        }
        JsonNode tasks = event.path("tasks");
        if (!tasks.isArray() || tasks.isEmpty()) {
            throw new MalformedEventException("tasks must be a non-empty array");
        }
        List<ObjectTask> out = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            JsonNode task = tasks.get(i);
            String taskId = task.isObject() ? requiredText(task, "taskId") : null;
            if (taskId == null) {
                // Without its id a task's result cannot be reported: the whole invocation is unusable.
                throw new MalformedEventException("tasks[" + i + "] has no taskId");
            }
            String bucket = requiredText(task, "s3Bucket");
            String rawKey = requiredText(task, "s3Key");
            if (bucket == null || rawKey == null) {
                out.add(ObjectTask.malformed(taskId, "s3Bucket and s3Key must be non-empty strings"));
                continue;
            }
            String key;
            try {
                // Manifest keys arrive URL-encoded, as in the AWS examples (unquote_plus).
                key = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                out.add(ObjectTask.malformed(taskId, "s3Key '" + abbreviate(rawKey) + "' is not URL-encoded"));
                continue;
            }
            String keyProblem = keyProblem(key);
            if (keyProblem != null) {
                out.add(ObjectTask.malformed(taskId, "s3Key " + keyProblem));
                continue;
            }
            JsonNode version = task.path("s3VersionId");
            if (!version.isMissingNode() && !version.isNull() && !version.isTextual()) {
                out.add(ObjectTask.malformed(taskId, "s3VersionId is not a string"));
                continue;
            }
            String versionId = version.isTextual() && !version.asText().isBlank() ? version.asText() : null;
            out.add(new ObjectTask(taskId, bucket, key, versionId, null, null));
        }
        return new Trigger(Trigger.Kind.BATCH_OPERATIONS, invocationId, schema, out);
    }

    /** Why a decoded key cannot name an S3 object, or null. */
    private static String keyProblem(String key) {
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            return "is " + bytes + " bytes of UTF-8: S3 keys are at most " + MAX_KEY_BYTES;
        }
        return null;
    }

    private static boolean wrongType(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull() && !value.isTextual();
    }

    /** A non-empty string field, or null when missing, null, empty or not a string. */
    private static String requiredText(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}
