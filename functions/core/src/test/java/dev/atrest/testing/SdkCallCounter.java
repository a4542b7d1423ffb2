package dev.atrest.testing;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Per-operation counts an SDK {@code ExecutionInterceptor} in a test keeps on the client side of the wire: logical
 * calls (one per API method call), HTTP attempts (the SDK's retries included) and calls that failed after every
 * retry. Counting there, not at the emulator, is what separates a retry from a new call.
 */
public final class SdkCallCounter {
    private final Function<ExecutionAttributes, String> key;
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failed = new ConcurrentHashMap<>();

    /** Counts keyed by operation name ("DescribeKey"). */
    public SdkCallCounter() {
        this(SdkCallCounter::operation);
    }

    /** Counts keyed by {@code key}, e.g. {@link #serviceAndOperation} when one counter watches several services. */
    public SdkCallCounter(Function<ExecutionAttributes, String> key) {
        this.key = key;
    }

    public void reset() {
        calls.clear();
        attempts.clear();
        failed.clear();
    }

    public void call(ExecutionAttributes attributes) {
        increment(calls, attributes);
    }

    public void attempt(ExecutionAttributes attributes) {
        increment(attempts, attributes);
    }

    public void failure(ExecutionAttributes attributes) {
        increment(failed, attributes);
    }

    public Map<String, Long> calls() {
        return snapshot(calls);
    }

    public Map<String, Long> attempts() {
        return snapshot(attempts);
    }

    public Map<String, Long> failed() {
        return snapshot(failed);
    }

    public static String operation(ExecutionAttributes attributes) {
        return String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    /** "EC2.DescribeVolumes". */
    public static String serviceAndOperation(ExecutionAttributes attributes) {
        return attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "." + operation(attributes);
    }

    public static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private void increment(Map<String, AtomicLong> counts, ExecutionAttributes attributes) {
        counts.computeIfAbsent(key.apply(attributes), k -> new AtomicLong()).incrementAndGet();
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
