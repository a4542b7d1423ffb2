package dev.atrest.backfill;

import dev.atrest.core.findings.SnsMessage;
import dev.atrest.core.summary.ItemResult;
import dev.atrest.core.summary.RunSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The one SNS message a run sends when it has something to tell a person: jobs started (or already running), a dry
 * run's count, a job's end with its failures by reason, convergence. Progress and ignored events send nothing. Its
 * size is bounded by the number of buckets and reasons (samples are few and abbreviated), never by objects.
 */
public final class BackfillNotice {
    static final Set<String> NOTABLE = Set.of(BackfillService.START_JOB, BackfillService.ALREADY_ACTIVE,
            BackfillService.DRY_RUN_COUNT, BackfillService.CONVERGED, BackfillService.JOB_FINISHED,
            BackfillService.FAILED_TASKS, BackfillService.RETRY_JOB, BackfillService.REPORT_UNUSABLE,
            BackfillService.ENABLE_EVENTBRIDGE);
    /** Items in one message at most (a start over hundreds of buckets says the rest in a count). */
    static final int MAX_ITEMS = 200;

    private final SnsClient sns;
    private final String topicArn;

    public BackfillNotice(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    public static boolean worthTelling(RunSummary summary) {
        return summary.getItems().stream().anyMatch(i -> NOTABLE.contains(i.action()));
    }

    /** Publishes; returns the message id. */
    public String publish(RunSummary summary) {
        // Items carry bucket names, keys and S3's messages: bounded and neutralised so the notice is always delivered.
        return sns.publish(b -> b.topicArn(topicArn).subject(SnsMessage.subject(subject(summary)))
                .message(SnsMessage.message(body(summary)))).messageId();
    }

    static Map<String, Object> body(RunSummary summary) {
        List<Map<String, Object>> items = new ArrayList<>();
        List<ItemResult> notable = summary.getItems().stream().filter(i -> NOTABLE.contains(i.action())).toList();
        for (ItemResult i : notable.subList(0, Math.min(MAX_ITEMS, notable.size()))) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("resource", i.resource());
            row.put("action", i.action());
            row.put("outcome", i.outcome().name());
            row.put("reason", i.reason());
            row.put("details", i.details());
            items.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source", "s3-backfill");
        body.put("trigger", summary.getTrigger());
        body.put("dryRun", summary.isDryRun());
        body.put("startedAt", summary.getStartedAt());
        body.put("counts", summary.getCounts());
        body.put("items", items);
        if (notable.size() > MAX_ITEMS) {
            body.put("moreItems", notable.size() - MAX_ITEMS);
        }
        body.put("errors", summary.getErrors());
        return body;
    }

    /** SNS subjects: ASCII, at most 100 characters. */
    static String subject(RunSummary summary) {
        Map<String, Long> actions = new LinkedHashMap<>();
        summary.getItems().stream().filter(i -> NOTABLE.contains(i.action()))
                .forEach(i -> actions.merge(i.action(), 1L, Long::sum));
        StringBuilder s = new StringBuilder("atrest s3-backfill").append(summary.isDryRun() ? " (dry run)" : "")
                .append(":");
        actions.forEach((action, n) -> s.append(' ').append(n).append(' ').append(action.toLowerCase(java.util.Locale.ROOT)
                .replace('_', ' ')).append(','));
        String text = s.charAt(s.length() - 1) == ',' ? s.substring(0, s.length() - 1) : s.toString();
        return text.length() <= 100 ? text : text.substring(0, 100);
    }
}
