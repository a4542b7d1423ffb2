package dev.atrest.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.Json;
import dev.atrest.core.lambda.Invocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EMF documents the dashboard reads (its own JVM, with metrics on: see the module's surefire executions). */
class BackfillMetricsTest {

    @Test
    void oneDocumentPerBucketAndKindOrReason() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            BackfillMetrics m = new BackfillMetrics(Invocation.metrics());
            m.started("data", JobKind.SSE_S3);
            m.found("data", JobKind.SSE_S3, 20_000);
            m.finished("data", JobKind.SSE_S3, 19_990, 10, 42L);
            m.failures("data", FailureReason.OBJECT_LOCK, 10);
            m.retried("data", 3);
        } finally {
            System.setOut(original);
        }
        List<JsonNode> docs = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{") && line.contains("\"_aws\"")) {
                docs.add(Json.MAPPER.readTree(line));
            }
        }
        assertThat(docs).hasSize(5);
        assertThat(docs.get(0).path("BackfillJobsStarted").asDouble()).isEqualTo(1.0);
        assertThat(docs.get(1).path("BackfillObjectsFound").asDouble()).isEqualTo(20_000.0);
        assertThat(docs.get(1).path("Bucket").asText()).isEqualTo("data");
        assertThat(docs.get(1).path("JobKind").asText()).isEqualTo("sse-s3");
        assertThat(docs.get(2).path("BackfillObjectsSucceeded").asDouble()).isEqualTo(19_990.0);
        assertThat(docs.get(2).path("BackfillObjectsFailed").asDouble()).isEqualTo(10.0);
        assertThat(docs.get(2).path("BackfillJobDurationSeconds").asDouble()).isEqualTo(42.0);
        assertThat(docs.get(3).path("Reason").asText()).isEqualTo("OBJECT_LOCK");
        assertThat(docs.get(3).path("BackfillFailures").asDouble()).isEqualTo(10.0);
        assertThat(docs.get(4).path("BackfillObjectsRetried").asDouble()).isEqualTo(3.0);
        assertThat(docs.get(2).path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString())
                .contains("[\"Bucket\",\"JobKind\"]");
    }
}
