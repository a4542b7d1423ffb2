package dev.atrest.testing;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The parameters of {@code template.yaml} and the environment variables they set, read from the template itself
 * (SnakeYAML's node graph, which keeps CloudFormation's {@code !Ref}-style tags instead of failing on them), with
 * what CloudFormation accepts for each: the one source a function's configuration is checked against.
 */
public final class TemplateParameters {
    /**
     * One parameter's constraints as CloudFormation applies them.
     *
     * @param type {@code String}, {@code Number} or {@code CommaDelimitedList}
     */
    public record Parameter(String name, String type, String defaultValue, List<String> allowedValues,
            String allowedPattern, BigDecimal minValue, BigDecimal maxValue) {

        /**
         * Whether CloudFormation takes {@code value} for this parameter: a Number must be a number within
         * MinValue/MaxValue; AllowedValues must contain the value as written; AllowedPattern must match the whole
         * value (CloudFormation checks String parameters, including the empty string, against it).
         */
        public boolean accepts(String value) {
            if (value == null) {
                return true;
            }
            if ("Number".equals(type)) {
                BigDecimal n;
                try {
                    if (!NUMBER.matcher(value).matches()) {
                        return false;
                    }
                    n = new BigDecimal(value);
                } catch (NumberFormatException e) {
                    return false;
                }
                return (minValue == null || n.compareTo(minValue) >= 0) && (maxValue == null || n.compareTo(maxValue) <= 0)
                        && (allowedValues.isEmpty() || allowedValues.contains(value));
            }
            if ("CommaDelimitedList".equals(type)) {
                // CloudFormation checks AllowedValues and AllowedPattern on each value of the list.
                for (String item : value.split(",", -1)) {
                    if (!acceptsOne(item)) {
                        return false;
                    }
                }
                return true;
            }
            return acceptsOne(value);
        }

        private boolean acceptsOne(String value) {
            if (!allowedValues.isEmpty() && !allowedValues.contains(value)) {
                return false;
            }
            return allowedPattern == null || Pattern.compile(allowedPattern).matcher(value).matches();
        }
    }

    /** What CloudFormation takes as a Number: an integer or a decimal, optionally negative. */
    private static final Pattern NUMBER = Pattern.compile("^-?[0-9]+(\\.[0-9]+)?$");

    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final MappingNode resources;
    private final MappingNode globalEnvironment;

    private TemplateParameters(MappingNode root) {
        MappingNode params = (MappingNode) child(root, "Parameters").orElseThrow();
        for (NodeTuple t : params.getValue()) {
            String name = scalar(t.getKeyNode());
            MappingNode p = (MappingNode) t.getValueNode();
            List<String> allowed = new ArrayList<>();
            child(p, "AllowedValues").ifPresent(n -> ((SequenceNode) n).getValue().forEach(v -> allowed.add(scalar(v))));
            parameters.put(name, new Parameter(name, scalar(child(p, "Type").orElseThrow()),
                    child(p, "Default").map(TemplateParameters::scalar).orElse(null), List.copyOf(allowed),
                    child(p, "AllowedPattern").map(TemplateParameters::scalar).orElse(null),
                    child(p, "MinValue").map(n -> new BigDecimal(scalar(n))).orElse(null),
                    child(p, "MaxValue").map(n -> new BigDecimal(scalar(n))).orElse(null)));
        }
        resources = (MappingNode) child(root, "Resources").orElseThrow();
        globalEnvironment = child(root, "Globals").flatMap(g -> child((MappingNode) g, "Function"))
                .flatMap(f -> child((MappingNode) f, "Environment"))
                .flatMap(e -> child((MappingNode) e, "Variables")).map(MappingNode.class::cast).orElse(null);
    }

    /** The project's template.yaml (found from the test's working directory up). */
    public static TemplateParameters load() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("template.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
        }
        try (Reader in = Files.newBufferedReader(dir.resolve("template.yaml"))) {
            return new TemplateParameters((MappingNode) new Yaml().compose(in));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public Parameter parameter(String name) {
        Parameter p = parameters.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter " + name + " in template.yaml");
        }
        return p;
    }

    /**
     * The environment variables of {@code function} (Globals first, then the function's own) that are set to
     * exactly one parameter ({@code !Ref Name}, or {@code !Join [",", !Ref Name]} of a CommaDelimitedList), or to
     * one unless a condition holds ({@code !If [Condition, value, <one of those>]}, e.g. a key the stack creates
     * when the parameter is left empty), by variable name.
     */
    public Map<String, Parameter> environment(String function) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        if (globalEnvironment != null) {
            collect(globalEnvironment, out);
        }
        MappingNode fn = (MappingNode) child(resources, function)
                .orElseThrow(() -> new IllegalArgumentException("no resource " + function + " in template.yaml"));
        child(fn, "Properties").flatMap(p -> child((MappingNode) p, "Environment"))
                .flatMap(e -> child((MappingNode) e, "Variables"))
                .ifPresent(v -> collect((MappingNode) v, out));
        return out;
    }

    /** The template's default for every parameter-set variable of {@code function} (a valid environment). */
    public Map<String, String> defaults(String function) {
        Map<String, String> env = new LinkedHashMap<>();
        environment(function).forEach((variable, p) -> {
            if (p.defaultValue() != null) {
                env.put(variable, p.defaultValue());
            }
        });
        return env;
    }

    private void collect(MappingNode variables, Map<String, Parameter> out) {
        for (NodeTuple t : variables.getValue()) {
            Node value = t.getValueNode();
            if (value instanceof SequenceNode s && "!If".equals(s.getTag().getValue()) && s.getValue().size() == 3) {
                value = s.getValue().get(2);
            }
            if (value instanceof ScalarNode s && "!Ref".equals(s.getTag().getValue()) && parameters.containsKey(s.getValue())) {
                out.put(scalar(t.getKeyNode()), parameters.get(s.getValue()));
            } else if (joinedList(value) != null) {
                out.put(scalar(t.getKeyNode()), joinedList(value));
            } else {
                out.remove(scalar(t.getKeyNode()));
            }
        }
    }

    /**
     * The CommaDelimitedList parameter of {@code !Join [",", !Ref Name]}: the variable holds the list's values joined
     * by commas, exactly as given (so it takes what the parameter takes); null for any other value.
     */
    private Parameter joinedList(Node value) {
        if (!(value instanceof SequenceNode join) || !"!Join".equals(join.getTag().getValue())
                || join.getValue().size() != 2 || !(join.getValue().get(0) instanceof ScalarNode sep)
                || !",".equals(sep.getValue()) || !(join.getValue().get(1) instanceof ScalarNode ref)
                || !"!Ref".equals(ref.getTag().getValue())) {
            return null;
        }
        Parameter p = parameters.get(ref.getValue());
        return p != null && "CommaDelimitedList".equals(p.type()) ? p : null;
    }

    /**
     * Values to try on a parameter: the template's own (default, allowed values, the bounds and their neighbours)
     * with the variants a person or a tool produces (case, spaces, a trailing comma), and {@code extra}. Not the
     * empty string: CloudFormation passes it only where the template allows it, and for the functions an empty
     * variable is an unset one (the default).
     */
    public static Set<String> candidates(Parameter p, List<String> extra) {
        Set<String> out = new LinkedHashSet<>();
        out.add(" ");
        if (p.defaultValue() != null) {
            variants(p.defaultValue(), out);
        }
        p.allowedValues().forEach(v -> variants(v, out));
        for (BigDecimal bound : new BigDecimal[] {p.minValue(), p.maxValue()}) {
            if (bound != null) {
                out.add(bound.toPlainString());
                out.add(bound.subtract(BigDecimal.ONE).toPlainString());
                out.add(bound.add(BigDecimal.ONE).toPlainString());
            }
        }
        if ("Number".equals(p.type())) {
            out.addAll(List.of("0", "-1", "1", "abc", "1e3", "0x10", "9223372036854775808", "12 "));
        }
        extra.forEach(v -> variants(v, out));
        return out;
    }

    private static void variants(String v, Set<String> out) {
        out.add(v);
        out.add(v.toUpperCase(java.util.Locale.ROOT));
        out.add(v + " ");
        out.add(" " + v);
        out.add(v + ",");
    }

    private static Optional<Node> child(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && key.equals(k.getValue())) {
                return Optional.of(t.getValueNode());
            }
        }
        return Optional.empty();
    }

    private static String scalar(Node n) {
        return ((ScalarNode) n).getValue();
    }
}
