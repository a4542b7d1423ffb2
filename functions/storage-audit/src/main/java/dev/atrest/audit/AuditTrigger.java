package dev.atrest.audit;

import static dev.atrest.core.json.UntrustedText.abbreviate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.aws.Arns;
import dev.atrest.core.json.MalformedEventException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What starts an audit. A whole audit: the two schedule shapes, the template's EventBridge Scheduler input
 * ({@code source: atrest.scheduler, detail.task: storage-audit}) and a classic scheduled event
 * ({@code source: aws.events} or {@code aws.scheduler}, empty detail). An audit of one resource: an event that
 * creates or weakens it ({@link ChangeEvents}). Anything else is rejected before any AWS call.
 *
 * @param account the envelope's {@code account}, null when the event names none
 * @param region the envelope's {@code region}, null when the event names none
 * @param resources the envelope's {@code resources} (the rule or schedule ARN, an EBS notification's volume)
 * @param change true for an event about one resource, false for a schedule
 * @param target the resource a change event names; null for a schedule, and for an event that names none to audit
 */
public record AuditTrigger(String source, String account, String region, List<String> resources, boolean change,
        AuditTarget target) {
    static final String TASK = "storage-audit";
    private static final Set<String> SOURCES = Set.of("atrest.scheduler", "aws.events", "aws.scheduler");

    public AuditTrigger {
        resources = resources == null ? List.of() : List.copyOf(resources);
    }

    /** A schedule's trigger: the whole audit. */
    public AuditTrigger(String source, String account, String region, List<String> resources) {
        this(source, account, region, resources, false, null);
    }

    public static AuditTrigger parse(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new MalformedEventException("expected a scheduled event (a JSON object), got "
                    + (event == null ? "nothing" : event.getNodeType()));
        }
        String detailType = string(event, "detail-type");
        if (ChangeEvents.handles(detailType)) {
            String source = string(event, "source");
            List<String> resources = resources(event);
            return new AuditTrigger(source, string(event, "account"), string(event, "region"), resources, true,
                    ChangeEvents.target(detailType, source, event.path("detail"), resources).orElse(null));
        }
        if (!"Scheduled Event".equals(detailType)) {
            throw new MalformedEventException("expected detail-type 'Scheduled Event', '"
                    + ChangeEvents.VOLUME_NOTIFICATION + "' or '" + ChangeEvents.CLOUDTRAIL + "', got "
                    + (detailType == null ? "none" : "'" + abbreviate(detailType) + "'")
                    + ": the storage audit runs on a schedule and on changes to what it audits");
        }
        String source = string(event, "source");
        // Set.of(...).contains(null) throws NullPointerException, so a missing source is checked first.
        if (source == null || !SOURCES.contains(source)) {
            throw new MalformedEventException("unexpected source " + (source == null ? "(none)" : "'"
                    + abbreviate(source) + "'") + ": expected one of " + SOURCES);
        }
        JsonNode detail = event.path("detail");
        if (!detail.isMissingNode() && !detail.isNull() && !detail.isObject()) {
            throw new MalformedEventException("detail must be an object");
        }
        JsonNode task = detail.path("task");
        if (!task.isMissingNode()) {
            if (!task.isTextual()) {
                throw new MalformedEventException("detail.task is " + kind(task) + ", not the string '" + TASK + "'");
            }
            if (!TASK.equals(task.asText())) {
                throw new MalformedEventException("detail.task '" + abbreviate(task.asText()) + "' is not " + TASK
                        + ": this event is meant for another function");
            }
        }
        if ("atrest.scheduler".equals(source) && task.isMissingNode()) {
            throw new MalformedEventException("detail.task is required for source atrest.scheduler");
        }
        return new AuditTrigger(source, string(event, "account"), string(event, "region"), resources(event));
    }

    /**
     * Why this event is not for this function, or empty. A scheduled event names the account and region of the
     * rule or schedule that sent it; one from another account (a forwarded event bus, a shared schedule) or another
     * region must not start an audit with this function's permissions.
     *
     * @param ownAccount the function's account; null when not known yet (then only the region is checked)
     * @param homeRegion the function's region
     */
    public Optional<String> outOfScope(String ownAccount, String homeRegion) {
        List<String> accounts = new ArrayList<>();
        List<String> regions = new ArrayList<>();
        if (account != null) {
            accounts.add("account=" + account);
        }
        if (region != null) {
            regions.add("region=" + region);
        }
        for (String arn : resources) {
            // Any ARN-shaped text counts here, well-formed or not: a scope check compares what the event says.
            Arns.parseAnyShape(arn).ifPresent(a -> {
                a.accountId().ifPresent(id -> accounts.add("resource account=" + id));
                a.region().ifPresent(r -> regions.add("resource region=" + r));
            });
        }
        if (ownAccount != null) {
            for (String a : accounts) {
                if (!ownAccount.equals(valueOf(a))) {
                    return Optional.of("event for another account (" + abbreviate(a) + "; this function audits "
                            + ownAccount + "): not acted on");
                }
            }
        }
        for (String r : regions) {
            if (!homeRegion.equals(valueOf(r))) {
                return Optional.of("event for another region (" + abbreviate(r) + "; this function runs in "
                        + homeRegion + "): not acted on");
            }
        }
        return Optional.empty();
    }

    private static String valueOf(String labelled) {
        return labelled.substring(labelled.indexOf('=') + 1);
    }

    /** A field that must be a string when present; null when absent or null. */
    private static String string(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new MalformedEventException("field '" + field + "' is " + kind(value) + ", not a string");
        }
        return value.asText();
    }

    private static List<String> resources(JsonNode event) {
        JsonNode value = event.get("resources");
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new MalformedEventException("field 'resources' is " + kind(value) + ", not an array of ARNs");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode r : value) {
            if (!r.isTextual()) {
                throw new MalformedEventException("field 'resources' holds " + kind(r) + ", not an ARN string");
            }
            out.add(r.asText());
        }
        return out;
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
