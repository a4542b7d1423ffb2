package dev.atrest.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.Json;
import dev.atrest.core.json.MalformedEventException;
import dev.atrest.core.lambda.JsonHandler;
import dev.atrest.core.summary.ItemResult;
import dev.atrest.core.summary.ItemResult.Outcome;
import dev.atrest.core.summary.RunSummary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonHandlerTest {
    /** Counts the records it is given; enough to see the base class's parsing and output. */
    static final class CountingHandler extends JsonHandler {
        int primed;

        @Override
        protected void prime() {
            super.prime();
            primed++;
        }

        @Override
        protected Object handle(JsonNode event, Context context) {
            RunSummary summary = new RunSummary("Counting", "test", true);
            for (JsonNode record : event.path("Records")) {
                summary.add(new ItemResult(record.path("s3").path("object").path("key").asText(), "NONE",
                        Outcome.COMPLIANT, null, Map.of("size", record.path("s3").path("object").path("size").asLong())));
            }
            return summary.finish();
        }
    }

    private static JsonNode run(String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CountingHandler().handleRequest(
                new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.MAPPER.readTree(out.toByteArray());
    }

    @Test
    void writesTheSummaryAsJson() throws Exception {
        JsonNode result = run(new String(getClass().getResourceAsStream("/s3-put.json").readAllBytes(), StandardCharsets.UTF_8));
        assertThat(result.path("function").asText()).isEqualTo("Counting");
        assertThat(result.path("dryRun").asBoolean()).isTrue();
        assertThat(result.path("counts").path("COMPLIANT").asInt()).isEqualTo(1);
        assertThat(result.path("items").get(0).path("details").path("size").asLong()).isEqualTo(1024L);
        assertThat(result.path("durationMs").isNumber()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{\"Records\": [", "not json", "{\"a\":1}}"})
    void eventsThatAreNotJsonFailWithAClearError(String event) {
        assertThatThrownBy(() -> run(event))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageMatching("event (is empty|is not valid JSON.*)");
    }

    @ParameterizedTest
    @Event(value = "s3-put.json", type = com.amazonaws.services.lambda.runtime.events.S3Event.class)
    void sampleEventsLoadWithTheRuntimeSerialisers(com.amazonaws.services.lambda.runtime.events.S3Event event) {
        // The runtime's own serialisers decode the key the way S3 encodes it: '+' is a space.
        assertThat(event.getRecords().get(0).getS3().getObject().getUrlDecodedKey())
                .isEqualTo("reports/2026 Q3/résumé final.csv");
    }

    @Test
    void snapStartCheckpointRunsThePrimingHookAndTheHandlerStillWorks() throws Exception {
        CountingHandler handler = new CountingHandler();
        // What the CRaC global context does to each registered resource around a SnapStart snapshot (the
        // context itself refuses to be driven from outside a CRaC JVM, so the hooks are called as it would).
        handler.beforeCheckpoint(null);
        handler.afterRestore(null);
        assertThat(handler.primed).isEqualTo(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(getClass().getResourceAsStream("/s3-put.json"), out, null);
        assertThat(Json.MAPPER.readTree(out.toByteArray()).path("counts").path("COMPLIANT").asInt()).isEqualTo(1);
    }

    @Test
    void bytesThatAreNoTextFailAsMalformed() {
        // Looks like UTF-32 to Jackson's encoding detection, with a code point above U+10FFFF.
        byte[] bytes = {0x00, 0x00, 0x00, 0x7b, 0x7f, 0x7f, 0x7f, 0x7f};
        assertThatThrownBy(() -> new CountingHandler().handleRequest(new ByteArrayInputStream(bytes),
                        new ByteArrayOutputStream(), null))
                .isInstanceOf(MalformedEventException.class);
    }

    @Test
    void summaryCountsOutcomesAndFlagsRetryableFailures() {
        RunSummary summary = new RunSummary("f", "t", false)
                .add(ItemResult.of("a", "X", Outcome.CHANGED, null))
                .add(ItemResult.of("b", "X", Outcome.RETRYABLE_FAILURE, "throttled"));
        assertThat(summary.count(Outcome.CHANGED)).isEqualTo(1);
        assertThat(summary.hasRetryableFailures()).isTrue();
    }
}
