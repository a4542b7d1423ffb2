package dev.atrest.kms;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
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

    private static final Map<String, AtomicLong> CALLS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> ATTEMPTS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> FAILED = new ConcurrentHashMap<>();
    private static final List<Write> WRITES = new CopyOnWriteArrayList<>();

    public static void reset() {
        CALLS.clear();
        ATTEMPTS.clear();
        FAILED.clear();
        WRITES.clear();
    }

    public static Map<String, Long> calls() {
        return snapshot(CALLS);
    }

    public static Map<String, Long> attempts() {
        return snapshot(ATTEMPTS);
    }

    public static Map<String, Long> failed() {
        return snapshot(FAILED);
    }

    public static List<Write> writes() {
        return List.copyOf(WRITES);
    }

    public static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private static String operation(ExecutionAttributes attributes) {
        return String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        CALLS.computeIfAbsent(operation(attributes), k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        ATTEMPTS.computeIfAbsent(operation(attributes), k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof EnableKeyRotationRequest r) {
            WRITES.add(new Write(r.keyId(), r.rotationPeriodInDays()));
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        FAILED.computeIfAbsent(operation(attributes), k -> new AtomicLong()).incrementAndGet();
    }
}
