package dev.atrest.kms;

import dev.atrest.testing.SdkCallCounter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kms.model.EnableKeyRotationRequest;

/**
 * Counts what the KMS clients of this test JVM do, on the SDK side of the wire: logical calls (one per API method
 * call), HTTP attempts (the SDK's retries included), calls that failed after every retry, and each successful
 * EnableKeyRotation with its key and period. Registered for every KMS client through the SDK's classpath hook
 * {@code software/amazon/awssdk/services/kms/execution.interceptors} (a test resource): the clients stay real, this only
 * watches. Static, because the SDK instantiates it per client.
 */
public final class KmsCallLog implements ExecutionInterceptor {
    public record Write(String keyId, Integer periodDays) {}

    /** The counts, read by the tests: calls(), attempts(), failed(). */
    public static final SdkCallCounter COUNTS = new SdkCallCounter();
    private static final List<Write> WRITES = new CopyOnWriteArrayList<>();

    public static void reset() {
        COUNTS.reset();
        WRITES.clear();
    }

    public static List<Write> writes() {
        return List.copyOf(WRITES);
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
        if (context.request() instanceof EnableKeyRotationRequest r) {
            WRITES.add(new Write(r.keyId(), r.rotationPeriodInDays()));
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        COUNTS.failure(attributes);
    }
}
