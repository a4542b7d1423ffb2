package dev.atrest.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.MalformedEventException;
import java.util.Set;

/**
 * The two schedule shapes that start an audit: the template's EventBridge Scheduler input
 * ({@code source: atrest.scheduler, detail.task: storage-audit}) and a classic scheduled event
 * ({@code source: aws.events} or {@code aws.scheduler}, empty detail). Anything else is rejected before any AWS call.
 */
public record AuditTrigger(String source) {
    static final String TASK = "storage-audit";
    private static final Set<String> SOURCES = Set.of("atrest.scheduler", "aws.events", "aws.scheduler");

    public static AuditTrigger parse(JsonNode event) {
        if (!event.isObject()) {
            throw new MalformedEventException("expected a scheduled event (a JSON object), got " + event.getNodeType());
        }
        String detailType = event.path("detail-type").asText("");
        if (!"Scheduled Event".equals(detailType)) {
            throw new MalformedEventException("expected detail-type 'Scheduled Event', got '" + detailType
                    + "': the storage audit runs on a schedule only");
        }
        String source = event.path("source").asText("");
        if (!SOURCES.contains(source)) {
            throw new MalformedEventException("unexpected source '" + source + "': expected one of " + SOURCES);
        }
        JsonNode detail = event.path("detail");
        if (!detail.isMissingNode() && !detail.isNull() && !detail.isObject()) {
            throw new MalformedEventException("detail must be an object");
        }
        JsonNode task = detail.path("task");
        if (!task.isMissingNode() && !TASK.equals(task.asText())) {
            throw new MalformedEventException("detail.task '" + task.asText() + "' is not " + TASK
                    + ": this event is meant for another function");
        }
        if ("atrest.scheduler".equals(source) && task.isMissingNode()) {
            throw new MalformedEventException("detail.task is required for source atrest.scheduler");
        }
        return new AuditTrigger(source);
    }
}
