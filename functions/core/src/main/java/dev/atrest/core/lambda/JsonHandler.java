package dev.atrest.core.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.Json;
import dev.atrest.core.summary.ItemResult;
import dev.atrest.core.summary.RunSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Base of every atrest handler: reads the event with the project's own Jackson mapper (the runtime's relocated
 * Jackson would ignore our annotations and cannot take the untyped EventBridge shapes), runs the subclass inside
 * Powertools logging and metrics (flushed once at the end, also when it fails), and writes its result as JSON.
 *
 * <p>It holds the one rule on failing an invocation: a {@link RunSummary} with an item that failed in a way a
 * retry may fix becomes a {@link RetryableFailureException}, once every output of the run is written.
 *
 * <p>It is also a CRaC resource: with SnapStart, {@link #prime()} runs before the snapshot is taken, so restored
 * containers start with the hot path's classes loaded and initialised instead of paying for it on the first event.
 */
public abstract class JsonHandler implements RequestStreamHandler, Resource {
    private static final Logger LOG = LoggerFactory.getLogger(JsonHandler.class);

    protected JsonHandler() {
        Core.getGlobalContext().register(this);
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Metrics metrics = Invocation.metrics();
        Object result = PowertoolsLogging.withLogging(context, () -> {
            try {
                if (context != null) {
                    metrics.captureColdStartMetric(context);
                }
                Object answer = handle(Json.readTree(input), context);
                if (answer instanceof RunSummary summary) {
                    // The same outcome metrics for every function, so one dashboard reads them all.
                    summary.getCounts().forEach((outcome, count) ->
                            metrics.addMetric("Items" + outcome.name(), count, MetricUnit.COUNT));
                    if (summary.hasRetryableFailures()) {
                        // An asynchronous invocation's answer is read by no one: only a failed invocation reaches
                        // Lambda's retries and the on-failure queue.
                        LOG.error("retryable failures, failing the invocation so it is retried: {}", Json.write(summary));
                        throw new RetryableFailureException(summary);
                    }
                }
                return answer;
            } finally {
                metrics.flush();
            }
        });
        Json.MAPPER.writeValue(output, result);
    }

    /** Parses {@code event}, calls the service, returns the response object (serialised as JSON). */
    protected abstract Object handle(JsonNode event, Context context);

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            prime();
        } catch (RuntimeException e) {
            // Priming only saves time after a restore: a failure must not fail the snapshot (and the deployment).
            LOG.warn("SnapStart priming failed: {}", e.toString());
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: clients re-resolve credentials themselves and hold no connections across a restore.
    }

    /**
     * Work done once before the SnapStart snapshot. Must not change anything in AWS. The default warms JSON parsing
     * and the summary's serialisation; subclasses add their own (e.g. marshalling an SDK request).
     */
    protected void prime() {
        JsonNode sample = Json.readTree(new java.io.ByteArrayInputStream(
                "{\"detail-type\":\"Scheduled Event\",\"detail\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        RunSummary summary = new RunSummary(getClass().getSimpleName(), sample.path("detail-type").asText(), true)
                .add(ItemResult.of("priming", "NONE", ItemResult.Outcome.SKIPPED, "priming"))
                .finish();
        Json.write(summary);
        Invocation.metrics();
    }
}
