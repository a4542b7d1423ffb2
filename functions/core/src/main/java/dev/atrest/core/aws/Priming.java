package dev.atrest.core.aws;

import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * SDK calls made only to warm the JVM before a SnapStart snapshot. Inside {@link #offline(Runnable...)} every request of
 * a {@link ClientFactory} client is built, validated, endpoint-resolved, marshalled and signed as usual, then stopped
 * just before transmission: the restored function starts with that whole path's classes loaded and initialised, and
 * nothing reaches AWS, so priming can neither change nor read anyone's data.
 */
public final class Priming {
    private static final ThreadLocal<Boolean> ACTIVE = ThreadLocal.withInitial(() -> false);
    private static final AtomicLong STOPPED = new AtomicLong();

    /** Added by ClientFactory to every client; a no-op outside {@link #offline(Runnable...)}. */
    static final ExecutionInterceptor INTERCEPTOR = new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (ACTIVE.get()) {
                STOPPED.incrementAndGet();
                throw new Stopped();
            }
        }
    };

    private Priming() {}

    /**
     * Runs each call with transmission stopped. Every failure is swallowed: priming is an optimisation and must never
     * keep a function from starting.
     */
    public static void offline(Runnable... calls) {
        ACTIVE.set(true);
        try {
            for (Runnable call : calls) {
                try {
                    call.run();
                } catch (RuntimeException expected) {
                    // Stopped (possibly wrapped by a gateway) is the normal end of a primed call.
                }
            }
        } finally {
            ACTIVE.set(false);
        }
    }

    /**
     * The SDK's own SnapStart warm-up (SdkWarmUp) for these clients: a throwaway client of each answers one request
     * from canned responses, with anonymous credentials and a local endpoint, so the response parsing our stopped
     * requests never reach is warmed too. Nothing leaves the JVM. Measured (bench/restore.py): it shortens the
     * first invocation after priming where a function parses several services' answers (the audit, the KMS
     * function); alone it does less than {@link #offline}. Never fails priming.
     */
    @SafeVarargs
    public static void responseParsing(Class<? extends software.amazon.awssdk.core.SdkClient>... clients) {
        for (Class<? extends software.amazon.awssdk.core.SdkClient> client : clients) {
            try {
                software.amazon.awssdk.core.warmup.SdkWarmUp.warmUp(client);
            } catch (RuntimeException | LinkageError expected) {
                // Priming is an optimisation: a service module without a warm-up (older ones: fsx, efs) stays cold.
            }
        }
    }

    /** How many requests priming has stopped before transmission, in this JVM. */
    public static long stoppedRequests() {
        return STOPPED.get();
    }

    /** Thrown in place of sending; never retried, because it is neither an I/O error nor a service answer. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stopped before transmission: SnapStart priming", null, false, false);
        }
    }
}
