package dev.atrest.core.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import dev.atrest.core.summary.RunSummary;
import java.util.function.Supplier;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

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
                T result = body.get();
                if (result instanceof RunSummary summary) {
                    // The same outcome metrics for every function, so one dashboard reads all three.
                    summary.getCounts().forEach((outcome, count) ->
                            metrics.addMetric("Items" + outcome.name(), count, MetricUnit.COUNT));
                }
                return result;
            } finally {
                metrics.flush();
            }
        });
    }
}
