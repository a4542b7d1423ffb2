package dev.atrest.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The least a function built the way the brief requires can do: Powertools structured logging around the
 * invocation, a cold-start metric and one EMF flush, the event read with Jackson, one KMS request (DescribeKey of
 * the key the event names) through an SDK client built at init on the URLConnection client, one log line, a JSON
 * answer. None of atrest's code runs; what this costs above the baseline handler is the libraries' share of every
 * function's cold start.
 */
public final class FloorHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FloorHandler.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final KmsClient kms = KmsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = MAPPER.readTree(input);
        Metrics metrics = MetricsFactory.getMetricsInstance();
        String state = PowertoolsLogging.withLogging(context, () -> {
            try {
                metrics.captureColdStartMetric(context);
                KeyMetadata key = kms.describeKey(r -> r.keyId(event.path("detail").path("responseElements")
                        .path("keyMetadata").path("keyId").asText())).keyMetadata();
                metrics.addMetric("Keys", 1, MetricUnit.COUNT);
                LOG.info("key {} is {}", key.keyId(), key.keyStateAsString());
                return key.keyStateAsString();
            } finally {
                metrics.flush();
            }
        });
        MAPPER.writeValue(output, MAPPER.createObjectNode().put("keyState", state));
    }
}
