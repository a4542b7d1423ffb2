package dev.atrest.kms;

import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.findings.SnsMessage;
import dev.atrest.core.aws.AwsFailure.Kind;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;

/** SNS gateway: publishes a remediation notice (JSON) to the findings topic. */
public final class RemediationNotices {
    private final SnsClient sns;
    private final String topicArn;

    public RemediationNotices(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    public void publish(String subject, Map<String, Object> notice) {
        try {
            // The notice carries CloudTrail's caller fields, chosen by whoever called: bounded and neutralised so
            // that the notice is always delivered.
            sns.publish(b -> b.topicArn(topicArn).subject(SnsMessage.subject(subject))
                    .message(SnsMessage.message(notice)));
        } catch (AwsServiceException e) {
            throw new AwsFailure(e.isThrottlingException() || e.statusCode() >= 500 ? Kind.RETRYABLE
                    : e.statusCode() == 403 ? Kind.ACCESS_DENIED : Kind.INVALID, "Publish",
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode(),
                    String.valueOf(e.getMessage()), e);
        } catch (SdkException e) {
            throw new AwsFailure(Kind.RETRYABLE, "Publish", null, String.valueOf(e.getMessage()), e);
        }
    }
}
