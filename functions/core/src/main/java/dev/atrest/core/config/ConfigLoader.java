package dev.atrest.core.config;

import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>A variable set from a template parameter accepts exactly what the parameter's constraints in
 * {@code template.yaml} accept (AllowedValues, MinValue/MaxValue, AllowedPattern), no more and no less: values are
 * compared as given (no trimming, no case folding), and the patterns below are the template's own. Each function's
 * {@code ParameterConstraintsTest} fails on any difference. An empty or unset variable takes the default.
 */
public final class ConfigLoader {
    private static final String PARTITION = "aws(-[a-z]+)*";
    private static final String REGION_NAME = "[a-z]{2}(-[a-z]+)+-[0-9]+";
    private static final String ACCOUNT = "[0-9]{12}";
    private static final String KEY_ARN = "arn:" + PARTITION + ":kms:" + REGION_NAME + ":" + ACCOUNT + ":key/[A-Za-z0-9-]+";

    /** Full KMS key ARN (alias ARNs are not key ARNs). Template: EbsDefaultKmsKeyArn. */
    public static final Pattern KMS_KEY_ARN = Pattern.compile("^" + KEY_ARN + "$");
    /** KMS key ARN or alias ARN. Template: TargetKmsKeyArn. */
    public static final Pattern KMS_KEY_OR_ALIAS_ARN = Pattern.compile(
            "^arn:" + PARTITION + ":kms:" + REGION_NAME + ":" + ACCOUNT + ":(key/[A-Za-z0-9-]+|alias/[A-Za-z0-9/_-]+)$");
    /** Comma-separated full KMS key ARNs, no spaces. Template: CompliantKmsKeyArns. */
    public static final Pattern KMS_KEY_ARN_LIST = Pattern.compile("^(" + KEY_ARN + ")(," + KEY_ARN + ")*$");
    /** SNS standard topic ARN (atrest publishes without a message group, which FIFO topics require). */
    public static final Pattern SNS_TOPIC_ARN = Pattern.compile(
            "^arn:" + PARTITION + ":sns:" + REGION_NAME + ":" + ACCOUNT + ":[A-Za-z0-9_-]{1,256}$");
    public static final Pattern REGION = Pattern.compile("^" + REGION_NAME + "$");
    private static final String BUCKET = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]";
    /** An S3 general purpose bucket name. Template: each name of BucketNames. */
    public static final Pattern BUCKET_NAME = Pattern.compile("^" + BUCKET + "$");
    /**
     * Bucket names joined by commas, as a CommaDelimitedList parameter reaches a variable through
     * {@code !Join [",", !Ref BucketNames]} (CloudFormation checks the parameter's AllowedPattern on each name).
     */
    public static final Pattern BUCKET_NAME_LIST = Pattern.compile("^" + BUCKET + "(," + BUCKET + ")*$");
    /** Comma-separated region names, no spaces, or {@code all}. Template: AuditRegions. */
    public static final Pattern REGION_LIST = Pattern.compile("^(all|" + REGION_NAME + "(," + REGION_NAME + ")*)$");
    /** Key, key ARN, alias ARN, alias name, or bare key id: what KMS accepts as a KeyId (in events, not config). */
    public static final Pattern KMS_KEY_REFERENCE = Pattern.compile(
            "^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:(key/[A-Za-z0-9-]+|alias/[A-Za-z0-9/_-]+)"
                    + "|alias/[A-Za-z0-9/_-]+|[A-Za-z0-9-]{1,2048})$");

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    public static ConfigLoader fromEnvironment() {
        return new ConfigLoader(System.getenv());
    }

    /** The value as set; null when unset or empty (both mean "the default"). */
    private String raw(String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
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
        switch (value) {
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

    /** One of {@code allowed}, exactly as written there. */
    public String oneOf(String name, String defaultValue, Set<String> allowed) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        if (!allowed.contains(value)) {
            problems.add(name + "='" + abbreviate(value) + "' is invalid: expected one of "
                    + allowed.stream().sorted().collect(Collectors.joining(", ")));
            return defaultValue;
        }
        return value;
    }

    /**
     * A comma-separated list; the whole value must match {@code listPattern} (the template parameter's pattern).
     * Empty list when unset.
     */
    public List<String> list(String name, Pattern listPattern, String expected) {
        String value = matching(name, listPattern, false, expected);
        return value == null ? List.of() : List.of(value.split(","));
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
