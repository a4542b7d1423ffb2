package dev.atrest.core.config;

import static dev.atrest.core.json.UntrustedText.abbreviate;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which buckets atrest acts on, the same for the S3 function and the backfill (template parameter BucketScope).
 *
 * <ul>
 *   <li>{@code listed}: exactly the buckets named in BucketNames; the IAM permissions name them too.</li>
 *   <li>{@code all-but-opted-out}: every bucket of the account in the function's Region, except buckets that carry
 *       the opt-out tag key (whatever its value). IAM cannot know the buckets in advance, so the object permissions
 *       are granted on every bucket of the account: the functions themselves keep to the scope.</li>
 * </ul>
 *
 * <p>The decisions are pure: {@link #byName} needs nothing but the name; {@link #byFacts} the bucket's Region and
 * tags, which the callers read (and cache) through their own gateways.
 */
public record BucketScope(Mode mode, List<String> buckets, String optOutTagKey) {

    public enum Mode {
        LISTED("listed"),
        ALL_BUT_OPTED_OUT("all-but-opted-out");

        private final String value;

        Mode(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        static Mode of(String value) {
            for (Mode m : values()) {
                if (m.value.equals(value)) {
                    return m;
                }
            }
            throw new IllegalArgumentException(value);
        }
    }

    /** Template: OptOutTagKey (S3 tag keys: up to 128 letters, digits, spaces and _ . : / = + - @). */
    public static final Pattern TAG_KEY = Pattern.compile("^[A-Za-z0-9 _.:/=+@-]{1,128}$");
    public static final String DEFAULT_OPT_OUT_TAG_KEY = "atrest:opt-out";

    public BucketScope {
        buckets = List.copyOf(new LinkedHashSet<>(buckets));
    }

    public static BucketScope listed(String... buckets) {
        return new BucketScope(Mode.LISTED, List.of(buckets), DEFAULT_OPT_OUT_TAG_KEY);
    }

    public static BucketScope allButOptedOut(String optOutTagKey) {
        return new BucketScope(Mode.ALL_BUT_OPTED_OUT, List.of(), optOutTagKey);
    }

    /** Reads BUCKET_SCOPE, BUCKET_NAMES and OPT_OUT_TAG_KEY; problems go to {@code env} like every other variable. */
    public static BucketScope load(ConfigLoader env) {
        String mode = env.oneOf("BUCKET_SCOPE", Mode.LISTED.value(),
                Set.of(Mode.LISTED.value(), Mode.ALL_BUT_OPTED_OUT.value()));
        List<String> names = env.list("BUCKET_NAMES", ConfigLoader.BUCKET_NAME_LIST,
                "S3 bucket names separated by commas without spaces (3 to 63 lower-case letters, digits, dots, hyphens)");
        String tagKey = env.matching("OPT_OUT_TAG_KEY", TAG_KEY, false,
                "an S3 tag key (1 to 128 letters, digits, spaces and _ . : / = + - @)");
        Mode m = Mode.of(mode);
        if (m == Mode.LISTED && names.isEmpty()
                && env.problems().stream().noneMatch(p -> p.startsWith("BUCKET_NAMES"))) {
            env.problem("BUCKET_NAMES is required when BUCKET_SCOPE is listed: the buckets atrest acts on");
        }
        return new BucketScope(m, names, tagKey == null ? DEFAULT_OPT_OUT_TAG_KEY : tagKey);
    }

    /** True when a bucket's Region and tags must be read before acting on it. */
    public boolean needsFacts() {
        return mode == Mode.ALL_BUT_OPTED_OUT;
    }

    /** Why the bucket is out of scope by its name alone, or null. */
    public String byName(String bucket) {
        if (mode == Mode.LISTED && !buckets.contains(bucket)) {
            return "bucket '" + abbreviate(bucket) + "' is not one of the configured buckets (BucketNames): not acted on";
        }
        return null;
    }

    /**
     * Why the bucket is out of scope given its Region and tags (all-but-opted-out), or null. A bucket of another
     * Region belongs to the stack of that Region.
     */
    public String byFacts(String bucket, String bucketRegion, Map<String, String> tags, String homeRegion) {
        if (mode != Mode.ALL_BUT_OPTED_OUT) {
            return null;
        }
        if (bucketRegion != null && homeRegion != null && !bucketRegion.equals(homeRegion)) {
            return "bucket '" + abbreviate(bucket) + "' is in " + abbreviate(bucketRegion) + ", not in "
                    + homeRegion + " (the stack of its Region acts on it): not acted on";
        }
        if (tags.containsKey(optOutTagKey)) {
            return "bucket '" + abbreviate(bucket) + "' carries the opt-out tag '" + optOutTagKey + "': not acted on";
        }
        return null;
    }
}
