package dev.atrest.core.lambda;

import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/** The invocation's EMF metrics (Powertools), flushed once at the end of every invocation by {@link JsonHandler}. */
public final class Invocation {
    private Invocation() {}

    public static Metrics metrics() {
        return MetricsFactory.getMetricsInstance();
    }
}
