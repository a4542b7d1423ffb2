package dev.atrest.core.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and validates environment variables once, at init.
 *
 * <p>Every accessor records a problem instead of throwing, so that {@link #validate()} can fail init with one
 * message that names every bad variable and what was expected: an operator fixing a stack should not have to
 * redeploy once per typo.
 */
public final class ConfigLoader {
    /** Full KMS key ARN (alias ARNs are not key ARNs). */
    public static final Pattern KMS_KEY_ARN =
            Pattern.compile("^arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+$");
    /** Key ARN, alias ARN, alias name, or bare key id: what KMS accepts as a KeyId. */
    public static final Pattern KMS_KEY_REFERENCE = Pattern.compile(
            "^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:(key/[A-Za-z0-9-]+|alias/[A-Za-z0-9/_-]+)"
                    + "|alias/[A-Za-z0-9/_-]+|[A-Za-z0-9-]{1,2048})$");
    public static final Pattern SNS_TOPIC_ARN =
            Pattern.compile("^arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$");
    public static final Pattern REGION = Pattern.compile("^[a-z]{2}(-[a-z]+)+-\\d$");

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    public static ConfigLoader fromEnvironment() {
        return new ConfigLoader(System.getenv());
    }

    private String raw(String name) {
        String value = env.get(name);
        if (value == null) {
            return null;
        }
        value = value.strip();
        return value.isEmpty() ? null : value;
    }

    public String requiredString(String name, String expected) {
        String value = raw(name);
        if (value == null) {
            problems.add(name + " is required: " + expected);
        }
        return value;
    }

    public String optionalString(String name, String defaultValue) {
        String value = raw(name);
        return value == null ? defaultValue : value;
    }

    /** A value that must match {@code pattern}; null when unset and not required. */
    public String matching(String name, Pattern pattern, boolean required, String expected) {
        String value = raw(name);
        if (value == null) {
            if (required) {
                problems.add(name + " is required: " + expected);
            }
            return null;
        }
        if (!pattern.matcher(value).matches()) {
            problems.add(name + "='" + abbreviate(value) + "' is invalid: expected " + expected);
            return null;
        }
        return value;
    }

    public boolean bool(String name, boolean defaultValue) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                problems.add(name + "='" + abbreviate(value) + "' is invalid: expected true or false");
                return defaultValue;
        }
    }

    public int intInRange(String name, int defaultValue, int min, int max) {
        return (int) longInRange(name, defaultValue, min, max);
    }

    public long longInRange(String name, long defaultValue, long min, long max) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min || parsed > max) {
                problems.add(name + "=" + parsed + " is out of range: expected an integer from " + min + " to " + max);
                return defaultValue;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + "='" + abbreviate(value) + "' is invalid: expected an integer from " + min + " to " + max);
            return defaultValue;
        }
    }

    /** One of {@code allowed}, compared case-insensitively; returned in lower case. */
    public String oneOf(String name, String defaultValue, Set<String> allowed) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            problems.add(name + "='" + abbreviate(value) + "' is invalid: expected one of "
                    + allowed.stream().sorted().collect(Collectors.joining(", ")));
            return defaultValue;
        }
        return lower;
    }

    /** A comma-separated list; each element must match {@code elementPattern}. Empty list when unset. */
    public List<String> list(String name, Pattern elementPattern, String expected) {
        String value = raw(name);
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String part : Arrays.asList(value.split(","))) {
            String item = part.strip();
            if (item.isEmpty()) {
                continue;
            }
            if (!elementPattern.matcher(item).matches()) {
                problems.add(name + " has an invalid element '" + abbreviate(item) + "': expected " + expected);
            } else {
                out.add(item);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Lets a caller add a cross-field problem (e.g. "MAX must be >= MIN"). */
    public void problem(String message) {
        problems.add(message);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Fails init with one message naming every bad variable. */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new ConfigException("Invalid configuration: " + String.join("; ", problems));
        }
    }

    private static String abbreviate(String value) {
        return dev.atrest.core.json.UntrustedText.abbreviate(value);
    }
}
