package dev.atrest.s3;

import dev.atrest.core.config.BucketScope;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Applies the bucket scope to the buckets events name. By name ({@code listed}) it costs nothing; by the bucket's
 * Region and tags ({@code all-but-opted-out}) it reads them once per bucket and keeps them for {@link #TTL} in this
 * container, so the per-object cost stays what it was: a warm container pays the two bucket requests once per bucket
 * every {@link #TTL}, not per object. Tagging a bucket to opt out takes effect within that time.
 */
final class ScopedBuckets {
    static final Duration TTL = Duration.ofMinutes(5);

    private record Entry(String outOfScope, Instant readAt) {}

    private final BucketScope scope;
    private final String homeRegion;
    private final Function<String, S3Gateway.BucketFacts> facts;
    private final Supplier<Instant> clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    ScopedBuckets(BucketScope scope, String homeRegion, Function<String, S3Gateway.BucketFacts> facts,
                  Supplier<Instant> clock) {
        this.scope = scope;
        this.homeRegion = homeRegion;
        this.facts = facts;
        this.clock = clock;
    }

    /** Why the bucket is not acted on by name alone (no request), or null. */
    String byName(String bucket) {
        return scope.byName(bucket);
    }

    /**
     * Why the bucket is not acted on given its Region and tags, or null. A failure to read them is thrown (the object
     * is reported with it) and not kept: the next object of the bucket asks again.
     */
    String byFacts(String bucket) {
        if (!scope.needsFacts()) {
            return null;
        }
        Instant now = clock.get();
        Entry e = cache.get(bucket);
        if (e == null || e.readAt().plus(TTL).isBefore(now)) {
            S3Gateway.BucketFacts f = facts.apply(bucket);
            e = new Entry(scope.byFacts(bucket, f.region(), f.tags(), homeRegion), now);
            cache.put(bucket, e);
        }
        return e.outOfScope();
    }
}
