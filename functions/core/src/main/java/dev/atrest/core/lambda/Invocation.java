package dev.atrest.core.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.function.Supplier;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * Wraps one invocation with Powertools' functional API: structured logging enriched with the Lambda context, and
 * the EMF metrics of the invocation flushed once at its end (also when it fails).
 */
public final class Invocation {
    private Invocation() {}

    public static Metrics metrics() {
        return MetricsFactory.getMetricsInstance();
    }

    public static <T> T run(Context context, Supplier<T> body) {
        Metrics metrics = metrics();
        return PowertoolsLogging.withLogging(context, () -> {
            try {
                if (context != null) {
                    metrics.captureColdStartMetric(context);
                }
                return body.get();
            } finally {
                metrics.flush();
            }
        });
    }
}
