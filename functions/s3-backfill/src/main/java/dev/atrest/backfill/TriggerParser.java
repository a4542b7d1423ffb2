package dev.atrest.backfill;

import static dev.atrest.core.json.UntrustedText.abbreviate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.MalformedEventException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the function's triggers into a {@link BackfillTrigger}: a manual invocation ({@code {"buckets": [...]}},
 * {@code {"buckets": "all"}} or {@code {"jobs": [...]}}), the optional schedule, and Batch Operations job status
 * changes (CloudTrail through EventBridge). Anything else is a {@link MalformedEventException}, before any AWS call.
 */
public final class TriggerParser {
    /** S3 Control's JobId shape. */
    public static final Pattern JOB_ID = Pattern.compile("^[a-zA-Z0-9\\-_]{5,36}$");
    /** More names than any account has buckets to watch: a request beyond it is not a list of buckets. */
    static final int MAX_NAMES = 1000;
    static final String DETAIL_TYPE = "AWS Service Event via CloudTrail";
    static final String SCHEDULE_TASK = "s3-backfill";

    private TriggerParser() {}

    public static BackfillTrigger parse(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new MalformedEventException("event is not a JSON object");
        }
        if (event.has("detail-type")) {
            return eventBridge(event);
        }
        if (event.has("buckets") && event.has("jobs")) {
            throw new MalformedEventException("name either buckets (to start jobs) or jobs (to look at them), not both");
        }
        if (event.has("buckets")) {
            JsonNode buckets = event.get("buckets");
            if (buckets.isTextual() && "all".equals(buckets.asText())) {
                return BackfillTrigger.start("manual:all", null, null);
            }
            return BackfillTrigger.start("manual:buckets", names(buckets, "buckets", null), null);
        }
        if (event.has("jobs")) {
            return BackfillTrigger.watch(names(event.get("jobs"), "jobs", JOB_ID));
        }
        throw new MalformedEventException("unknown event: expected {\"buckets\": [\"name\", ...]}, {\"buckets\": \"all\"}, "
                + "{\"jobs\": [\"job id\", ...]}, the backfill schedule or a Batch Operations job status change");
    }

    /** A non-empty array of strings; {@code shape}, when given, each must match (bucket names are checked later). */
    private static List<String> names(JsonNode node, String field, Pattern shape) {
        if (!node.isArray() || node.isEmpty()) {
            throw new MalformedEventException(field + " must be a non-empty array of strings"
                    + ("buckets".equals(field) ? " or \"all\"" : ""));
        }
        if (node.size() > MAX_NAMES) {
            throw new MalformedEventException(field + " names " + node.size() + " entries: at most " + MAX_NAMES);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode n = node.get(i);
            if (!n.isTextual() || n.asText().isEmpty()) {
                throw new MalformedEventException(field + "[" + i + "] is not a non-empty string");
            }
            if (shape != null && !shape.matcher(n.asText()).matches()) {
                throw new MalformedEventException(field + "[" + i + "] '" + abbreviate(n.asText())
                        + "' is not a Batch Operations job id");
            }
            out.add(n.asText());
        }
        return out;
    }

    private static BackfillTrigger eventBridge(JsonNode event) {
        String detailType = text(event, "detail-type");
        String source = text(event, "source");
        JsonNode detail = event.path("detail");
        if (!detail.isObject()) {
            throw new MalformedEventException("detail is missing or not an object");
        }
        if ("Scheduled Event".equals(detailType)) {
            String task = text(detail, "task");
            if (!SCHEDULE_TASK.equals(task)) {
                throw new MalformedEventException("scheduled event for task '" + abbreviate(task) + "', not "
                        + SCHEDULE_TASK);
            }
            // The schedule's time is the same on every retry of one firing: repeated deliveries start nothing new.
            String when = text(detail, "scheduledTime");
            String startId = when != null && !when.isBlank() && !when.startsWith("<") ? when : text(event, "id");
            return BackfillTrigger.start("schedule", null, startId);
        }
        if (!"aws.s3".equals(source) || !DETAIL_TYPE.equals(detailType)) {
            throw new MalformedEventException("EventBridge event '" + abbreviate(detailType) + "' from '"
                    + abbreviate(source) + "' is neither the backfill schedule nor a Batch Operations job event");
        }
        if (!"s3.amazonaws.com".equals(text(detail, "eventSource"))) {
            throw new MalformedEventException("detail.eventSource is '" + abbreviate(text(detail, "eventSource"))
                    + "', not s3.amazonaws.com");
        }
        String name = text(detail, "eventName");
        if (!"JobStatusChanged".equals(name) && !"JobCreated".equals(name)) {
            throw new MalformedEventException("detail.eventName '" + abbreviate(name)
                    + "' is not a Batch Operations job event (JobCreated, JobStatusChanged)");
        }
        JsonNode job = detail.path("serviceEventDetails");
        String jobId = text(job, "jobId");
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            throw new MalformedEventException("detail.serviceEventDetails.jobId '" + abbreviate(jobId)
                    + "' is not a Batch Operations job id");
        }
        String region = text(detail, "awsRegion");
        return BackfillTrigger.jobEvent(new BackfillTrigger.JobEvent(text(event, "id"), name, text(event, "account"),
                region != null ? region : text(event, "region"), jobId, text(job, "jobArn"), text(job, "status")));
    }

    /** A string field; null when missing or not a string. */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
    }
}
