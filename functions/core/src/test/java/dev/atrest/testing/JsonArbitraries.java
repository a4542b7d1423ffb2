package dev.atrest.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.atrest.core.json.Json;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of hostile events for the handlers' property tests: arbitrary JSON biased towards the field names
 * and values a handler looks at (so generated events get past the first checks), and real sample events with a few
 * fields removed or replaced by anything.
 */
public final class JsonArbitraries {
    private final List<String> fields;
    private final List<String> values;

    /**
     * @param fields field names the handler reads, used for most generated object keys
     * @param values values the handler expects, used for most generated strings
     */
    public JsonArbitraries(List<String> fields, List<String> values) {
        this.fields = List.copyOf(fields);
        this.values = List.copyOf(values);
    }

    public Arbitrary<String> text() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(values)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').withChars("-:/.0123456789").ofMaxLength(60)));
    }

    public Arbitrary<JsonNode> leaf() {
        return Arbitraries.oneOf(
                Arbitraries.just(NullNode.getInstance()),
                Arbitraries.of(true, false).map(BooleanNode::valueOf),
                Arbitraries.integers().map(IntNode::valueOf),
                Arbitraries.longs().map(LongNode::valueOf),
                Arbitraries.doubles().map(DoubleNode::valueOf),
                text().map(TextNode::valueOf));
    }

    /** Any JSON value nested up to {@code depth} levels. */
    public Arbitrary<JsonNode> json(int depth) {
        if (depth == 0) {
            return leaf();
        }
        Arbitrary<JsonNode> child = Arbitraries.lazy(() -> json(depth - 1));
        Arbitrary<JsonNode> array = child.list().ofMaxSize(4).map(items -> {
            ArrayNode node = Json.MAPPER.createArrayNode();
            items.forEach(node::add);
            return node;
        });
        Arbitrary<String> names = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(fields)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(12)));
        Arbitrary<JsonNode> object = Combinators.combine(names.list().ofMaxSize(6), child.list().ofMaxSize(6))
                .as((keys, vals) -> {
                    ObjectNode node = Json.MAPPER.createObjectNode();
                    for (int i = 0; i < Math.min(keys.size(), vals.size()); i++) {
                        node.set(keys.get(i), vals.get(i));
                    }
                    return (JsonNode) node;
                });
        return Arbitraries.frequencyOf(Tuple.of(3, leaf()), Tuple.of(1, array), Tuple.of(3, object));
    }

    /** One of {@code samples} (each a JSON object) with one to four of {@code paths} removed or replaced by anything. */
    public Arbitrary<JsonNode> mutated(List<JsonNode> samples, List<List<String>> paths) {
        Arbitrary<Optional<JsonNode>> replacements = Arbitraries.frequencyOf(
                Tuple.of(4, text().map(t -> Optional.<JsonNode>of(TextNode.valueOf(t)))),
                Tuple.of(3, json(2).map(Optional::of)),
                Tuple.of(2, Arbitraries.just(Optional.<JsonNode>empty())));
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.of(paths), replacements).as(Mutation::new);
        return Combinators.combine(Arbitraries.of(samples), mutation.list().ofMinSize(1).ofMaxSize(4))
                .as((sample, mutations) -> {
                    ObjectNode event = (ObjectNode) sample.deepCopy();
                    mutations.forEach(m -> m.apply(event));
                    return event;
                });
    }

    /** Set (or, when the value is empty, remove) the field at {@code path}, creating objects on the way. */
    public record Mutation(List<String> path, Optional<JsonNode> value) {
        public void apply(ObjectNode root) {
            ObjectNode node = root;
            for (String step : path.subList(0, path.size() - 1)) {
                JsonNode next = node.get(step);
                if (!(next instanceof ObjectNode)) {
                    next = node.putObject(step);
                }
                node = (ObjectNode) next;
            }
            String last = path.get(path.size() - 1);
            if (value.isPresent()) {
                node.set(last, value.get().deepCopy());
            } else {
                node.remove(last);
            }
        }
    }
}
