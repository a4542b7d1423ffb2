package dev.atrest.audit;

import dev.atrest.testing.SdkCallCounter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts what the SDK clients of this test JVM do, on the SDK side of the wire: logical calls (one per API method
 * call), HTTP attempts (the SDK's retries included), calls that failed after every retry, and every write that
 * succeeded. Registered for the audit's services through the SDK's classpath hook
 * {@code software/amazon/awssdk/services/<service>/execution.interceptors} (test resources): the clients stay real,
 * this only watches. Static, because the SDK instantiates it once per client.
 */
public final class AuditCallLog implements ExecutionInterceptor {
    /** The operations by which the audit changes anything in AWS. */
    static final Set<String> WRITES = Set.of("BatchImportFindings", "Publish", "CreateTags", "DeleteTags",
            "TagResource", "UntagResource", "EnableEbsEncryptionByDefault", "ModifyEbsDefaultKmsKeyId");

    public record Write(String operation, String region, Object request) {}

    /** The counts the tests read (calls, attempts, failed), keyed "Service.Operation" ("EC2.DescribeVolumes"). */
    public static final SdkCallCounter COUNTS = new SdkCallCounter(SdkCallCounter::serviceAndOperation);
    private static final List<Write> WRITTEN = new CopyOnWriteArrayList<>();

    public static void reset() {
        COUNTS.reset();
        WRITTEN.clear();
    }

    public static List<Write> writes() {
        return List.copyOf(WRITTEN);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        COUNTS.call(attributes);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        COUNTS.attempt(attributes);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (WRITES.contains(op)) {
            WRITTEN.add(new Write(op, String.valueOf(attributes.getAttribute(AwsExecutionAttribute.AWS_REGION)),
                    context.request()));
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        COUNTS.failure(attributes);
    }
}
