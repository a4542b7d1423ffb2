package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrest.core.json.Json;
import dev.atrest.core.json.MalformedEventException;
import java.io.ByteArrayInputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based (jqwik): events generated at random, or real sample events with fields removed or replaced by anything, never
 * make the parser throw anything but MalformedEventException; what it accepts is always usable: every task either
 * names a problem, or a bucket and a key S3 could hold.
 */
class EventParserPropertiesTest {
    static final List<String> FIELDS = List.of("Records", "eventSource", "eventName", "awsRegion", "s3", "bucket",
            "name", "object", "key", "userIdentity", "principalId", "detail-type", "source", "detail", "account",
            "region", "id", "invocationSchemaVersion", "invocationId", "tasks", "taskId", "s3Bucket", "s3Key",
            "s3VersionId", "job");
    static final List<String> VALUES = List.of("aws:s3", "ObjectCreated:Put", "ObjectRemoved:Delete", "us-east-1",
            "eu-west-1", "Object Created", "aws.s3", "2.0", "1.0", "123456789012", "999999999999", "atrest-it",
            "a%zz", "%", "a+b%2B", "../x", "", " ", "\u0000", "AWS:AROA:S3ReencryptFunction", "x".repeat(1100));
    static final List<String> SAMPLES = List.of("s3-put.json", "s3-put-self-caused.json", "s3-batch-v2.json",
            "eventbridge-object-created.json");

    @Provide
    Arbitrary<JsonNode> anyJson() {
        return json(4);
    }

    private Arbitrary<JsonNode> json(int depth) {
        JsonNodeFactory n = JsonNodeFactory.instance;
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.of(VALUES).map(n::textNode),
                Arbitraries.strings().ofMaxLength(20).map(n::textNode),
                Arbitraries.integers().map(n::numberNode),
                Arbitraries.of(true, false).map(n::booleanNode),
                Arbitraries.just(n.nullNode()));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> child = json(depth - 1);
        Arbitrary<JsonNode> object = Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of(FIELDS),
                        Arbitraries.strings().ofMaxLength(8)), child).ofMaxSize(5)
                .map(m -> {
                    ObjectNode o = n.objectNode();
                    m.forEach(o::set);
                    return o;
                });
        Arbitrary<JsonNode> array = child.list().ofMaxSize(4).map(l -> {
            ArrayNode a = n.arrayNode();
            l.forEach(a::add);
            return a;
        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, leaf), net.jqwik.api.Tuple.of(5, object), net.jqwik.api.Tuple.of(2, array));
    }

    @Property(tries = 1000)
    void arbitraryJsonGivesATriggerOrMalformedEventException(@ForAll("anyJson") JsonNode event,
                                                             @ForAll("accounts") String account,
                                                             @ForAll("regions") String region) {
        check(event, account, region);
    }

    @Provide
    Arbitrary<String> accounts() {
        return Arbitraries.of("123456789012", "999999999999").injectNull(0.3);
    }

    @Provide
    Arbitrary<String> regions() {
        return Arbitraries.of("us-east-1", "eu-west-1").injectNull(0.3);
    }

    /** A real sample with 1 to 4 fields (anywhere in the tree) removed or replaced by anything. */
    @Provide
    Arbitrary<JsonNode> mutatedSample() {
        return Arbitraries.of(SAMPLES).flatMap(sample -> Arbitraries.integers().between(1, 4).flatMap(count ->
                Arbitraries.integers().between(0, 10_000).list().ofSize(count).flatMap(picks ->
                        json(2).injectNull(0.4).list().ofSize(count).map(replacements -> {
                            JsonNode event = load(sample);
                            for (int i = 0; i < count; i++) {
                                mutate(event, picks.get(i), replacements.get(i));
                            }
                            return event;
                        }))));
    }

    @Property(tries = 2000)
    void mutatedRealEventsGiveATriggerOrMalformedEventException(@ForAll("mutatedSample") JsonNode event,
                                                                @ForAll("accounts") String account) {
        check(event, account, "us-east-1");
    }

    @Property(tries = 500)
    void arbitraryBytesNeverGiveAnUndocumentedException(@ForAll byte[] bytes) {
        JsonNode event;
        try {
            event = Json.readTree(new ByteArrayInputStream(bytes));
        } catch (MalformedEventException e) {
            return;
        } catch (UncheckedIOException e) {
            // Jackson's CharConversionException on UTF-32-looking bytes.
            assertThat(e.getCause()).isInstanceOf(CharConversionException.class);
            return;
        }
        check(event, "123456789012", "us-east-1");
    }

    private static void check(JsonNode event, String account, String region) {
        Trigger trigger;
        try {
            trigger = EventParser.parse(event, account, region);
        } catch (MalformedEventException e) {
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(600);
            Statistics.collect("malformed");
            return;
        }
        Statistics.collect(trigger.kind());
        assertThat(trigger.tasks()).isNotEmpty();
        for (ObjectTask t : trigger.tasks()) {
            assertThat(t.id()).isNotNull();
            if (t.problem() != null) {
                assertThat(t.problem()).hasSizeLessThan(600);
                assertThat(t.bucket()).isNull();
                continue;
            }
            assertThat(t.bucket()).isNotEmpty();
            assertThat(t.key()).isNotEmpty();
            assertThat(t.key().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
            if (t.outOfScope() != null) {
                assertThat(t.outOfScope()).contains("another").hasSizeLessThan(600);
            }
        }
        if (trigger.kind() == Trigger.Kind.BATCH_OPERATIONS) {
            assertThat(trigger.invocationId()).isNotEmpty();
            assertThat(trigger.schemaVersion()).isEqualTo("2.0");
        }
    }

    private static JsonNode load(String sample) {
        try (InputStream in = EventParserPropertiesTest.class.getClassLoader().getResourceAsStream(sample)) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces (or, for null, removes) the pick-th field found walking the tree. */
    private static void mutate(JsonNode root, int pick, JsonNode replacement) {
        List<Object[]> slots = new ArrayList<>();
        collect(root, slots);
        if (slots.isEmpty()) {
            return;
        }
        Object[] slot = slots.get(pick % slots.size());
        if (slot[0] instanceof ObjectNode o) {
            if (replacement == null) {
                o.remove((String) slot[1]);
            } else {
                o.set((String) slot[1], replacement);
            }
        } else if (slot[0] instanceof ArrayNode a) {
            int i = (Integer) slot[1];
            if (replacement == null) {
                a.remove(i);
            } else {
                a.set(i, replacement);
            }
        }
    }

    private static void collect(JsonNode node, List<Object[]> slots) {
        if (node instanceof ObjectNode o) {
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                slots.add(new Object[] {o, name});
                collect(o.get(name), slots);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                slots.add(new Object[] {a, i});
                collect(a.get(i), slots);
            }
        }
    }
}
