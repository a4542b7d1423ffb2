package dev.atrest.core.findings;

import dev.atrest.core.summary.ItemResult;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;

/** Publishes one summary per run to an SNS topic: never one message per resource. */
public final class SnsSummarySink implements FindingSink {
    private final SnsClient sns;
    private final String topicArn;

    public SnsSummarySink(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public String name() {
        return "sns";
    }

    @Override
    public List<ItemResult> publish(FindingsReport report) {
        String messageId = sns.publish(b -> b.topicArn(topicArn)
                .subject(SnsMessage.subject(SummaryMessage.subject(report)))
                .message(SnsMessage.message(SummaryMessage.body(report)))).messageId();
        return List.of(new ItemResult(topicArn, "PUBLISH_SUMMARY", ItemResult.Outcome.CHANGED, "summary published",
                Map.of("messageId", messageId)));
    }
}
