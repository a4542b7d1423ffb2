package dev.atrest.s3;

import dev.atrest.testing.SdkCallCounter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Watches every S3 client of this test JVM on the SDK side of the wire (registered through the SDK's classpath hook
 * {@code software/amazon/awssdk/services/s3/execution.interceptors}, a test resource; the clients stay real).
 * It counts, for calls made by the function's main code only (a frame of a {@code dev.atrest.s3} class loaded from
 * the main classes on the calling thread), logical calls, HTTP attempts (the SDK's retries included) and calls that
 * failed after every retry; and it records, for the whole suite, every GetObject the function's code made.
 * Static, because the SDK instantiates it per client.
 */
public final class S3CallLog implements ExecutionInterceptor {
    /** The counts, read by the tests: calls(), attempts(), failed(). */
    public static final SdkCallCounter COUNTS = new SdkCallCounter();
    /** Never reset: every content read the function made during the whole test run. */
    private static final List<String> FUNCTION_CONTENT_READS = new CopyOnWriteArrayList<>();
    private static final AtomicLong FUNCTION_CALLS_EVER = new AtomicLong();
    /** Called on the function's thread right after each HeadObject the function made (bucket, key); null = none. */
    private static volatile java.util.function.BiConsumer<String, String> afterFunctionHead;
    private static final ThreadLocal<Boolean> IN_HOOK = ThreadLocal.withInitial(() -> false);

    /** Runs {@code hook} after every HeadObject the function makes, before it continues: a deterministic race. */
    public static void afterFunctionHead(java.util.function.BiConsumer<String, String> hook) {
        afterFunctionHead = hook;
    }

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    public static void reset() {
        COUNTS.reset();
    }

    public static List<String> functionContentReads() {
        return List.copyOf(FUNCTION_CONTENT_READS);
    }

    public static long functionCallsEver() {
        return FUNCTION_CALLS_EVER.get();
    }

    /** True when a class of the function's main code (not a test class) is on the calling thread's stack. */
    static boolean calledByFunction() {
        if (IN_HOOK.get()) {
            return false;
        }
        return WALKER.walk(frames -> frames.anyMatch(f -> {
            Class<?> c = f.getDeclaringClass();
            if (!c.getName().startsWith("dev.atrest.s3.")) {
                return false;
            }
            var source = c.getProtectionDomain().getCodeSource();
            String where = source == null || source.getLocation() == null ? "" : source.getLocation().toString();
            return !where.contains("test-classes");
        }));
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (!calledByFunction()) {
            return;
        }
        FUNCTION_CALLS_EVER.incrementAndGet();
        COUNTS.call(attributes);
        if ("GetObject".equals(SdkCallCounter.operation(attributes))) {
            FUNCTION_CONTENT_READS.add(String.valueOf(context.request()));
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (calledByFunction()) {
            COUNTS.attempt(attributes);
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        var hook = afterFunctionHead;
        if (hook != null && context.request()
                instanceof software.amazon.awssdk.services.s3.model.HeadObjectRequest head && calledByFunction()) {
            IN_HOOK.set(true);
            try {
                hook.accept(head.bucket(), head.key());
            } finally {
                IN_HOOK.set(false);
            }
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (calledByFunction()) {
            COUNTS.failure(attributes);
        }
    }
}
