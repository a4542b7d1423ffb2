package dev.atrest.audit;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The parts of a SAM template the permission tests read, as YAML nodes: SnakeYAML's {@code compose()} builds the node
 * tree without constructing objects, so CloudFormation's short tags ({@code !Ref}, {@code !Sub}, {@code !If}) stay
 * tags on their nodes instead of failing the parse.
 */
final class CfnTemplate {
    /** The key of unconditional statements in {@link #actionsByCondition}. */
    static final String ALWAYS = "";

    private final MappingNode root;

    private CfnTemplate(MappingNode root) {
        this.root = root;
    }

    static CfnTemplate read(Path path) {
        try (Reader in = Files.newBufferedReader(path)) {
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CfnTemplate parse(Reader in) {
        return new CfnTemplate((MappingNode) new Yaml().compose(in));
    }

    static CfnTemplate parse(String text) {
        return parse(new java.io.StringReader(text));
    }

    /**
     * The actions a function's {@code Policies} allow, by the condition of the {@code !If} they sit under
     * ({@link #ALWAYS} for none; {@code "!Cond"} for the else branch of {@code !If [Cond, ...]}).
     */
    Map<String, Set<String>> actionsByCondition(String function) {
        Node policies = path(root, "Resources", function, "Properties", "Policies")
                .orElseThrow(() -> new AssertionError(function + " has no Policies"));
        Map<String, Set<String>> out = new TreeMap<>();
        collect(policies, ALWAYS, out);
        return out;
    }

    private static void collect(Node node, String condition, Map<String, Set<String>> out) {
        if ("!If".equals(node.getTag().getValue())) {
            List<Node> branches = ((SequenceNode) node).getValue();
            String name = scalar(branches.get(0));
            if (!condition.equals(ALWAYS)) {
                throw new AssertionError("nested !If under " + condition + ": not modelled");
            }
            collect(branches.get(1), name, out);
            collect(branches.get(2), "!" + name, out);
        } else if (node instanceof SequenceNode seq) {
            seq.getValue().forEach(n -> collect(n, condition, out));
        } else if (node instanceof MappingNode map) {
            Optional<Node> action = get(map, "Action");
            if (action.isPresent() && get(map, "Effect").isPresent()) {
                if (!"Allow".equals(scalar(get(map, "Effect").get()))) {
                    throw new AssertionError("only Allow statements are modelled: " + map);
                }
                Set<String> actions = out.computeIfAbsent(condition, c -> new TreeSet<>());
                if (action.get() instanceof SequenceNode list) {
                    list.getValue().forEach(a -> actions.add(scalar(a)));
                } else {
                    actions.add(scalar(action.get()));
                }
            } else {
                map.getValue().forEach(t -> collect(t.getValueNode(), condition, out));
            }
        }
        // A scalar (!Ref AWS::NoValue, a policy template's name) grants nothing this test models.
    }

    /**
     * The condition that turns on the statements of a function's setting: the environment variable is
     * {@code !Ref <Parameter>}, and exactly one of the template's conditions refers to that parameter.
     */
    String conditionOf(String function, String variable) {
        Node value = path(root, "Resources", function, "Properties", "Environment", "Variables", variable)
                .orElseThrow(() -> new AssertionError(function + " has no environment variable " + variable));
        if (!"!Ref".equals(value.getTag().getValue())) {
            throw new AssertionError(variable + " is not a !Ref to a parameter: " + value);
        }
        String parameter = scalar(value);
        MappingNode conditions = (MappingNode) path(root, "Conditions")
                .orElseThrow(() -> new AssertionError("the template has no Conditions"));
        List<String> referring = new ArrayList<>();
        for (NodeTuple t : conditions.getValue()) {
            if (refers(t.getValueNode(), parameter)) {
                referring.add(scalar(t.getKeyNode()));
            }
        }
        if (referring.size() != 1) {
            throw new AssertionError("expected one condition on parameter " + parameter + " (" + variable + "), found "
                    + referring);
        }
        return referring.get(0);
    }

    private static boolean refers(Node node, String parameter) {
        if (node instanceof ScalarNode s) {
            return "!Ref".equals(s.getTag().getValue()) && parameter.equals(s.getValue());
        }
        if (node instanceof SequenceNode seq) {
            return seq.getValue().stream().anyMatch(n -> refers(n, parameter));
        }
        if (node instanceof MappingNode map) {
            return map.getValue().stream().anyMatch(t -> refers(t.getValueNode(), parameter));
        }
        return false;
    }

    private static Optional<Node> path(Node from, String... keys) {
        Node node = from;
        for (String key : keys) {
            if (!(node instanceof MappingNode map)) {
                return Optional.empty();
            }
            Optional<Node> next = get(map, key);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            node = next.get();
        }
        return Optional.of(node);
    }

    private static Optional<Node> get(MappingNode map, String key) {
        return map.getValue().stream().filter(t -> key.equals(scalar(t.getKeyNode()))).map(NodeTuple::getValueNode)
                .findFirst();
    }

    private static String scalar(Node node) {
        if (!(node instanceof ScalarNode s)) {
            throw new AssertionError("expected a scalar, found " + node);
        }
        return s.getValue();
    }
}
