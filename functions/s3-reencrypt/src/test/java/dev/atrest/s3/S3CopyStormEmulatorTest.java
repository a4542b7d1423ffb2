package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.lambda.RetryableFailureException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * Concurrent writers and the copy path (REENCRYPT_METHOD=copy) on the same keys, with at-least-once delivery (events
 * name keys again and again while they are being written). Every key has one writer, so its last write is well
 * defined; writes are content overwrites and same-ETag in-place copies (metadata, content type, tags and, with
 * versions, storage class). Once the writers stop, every object must hold exactly its last write's content and
 * properties (encrypted or not yet), no CRITICAL and no failure may have been reported (a newer write is "changed
 * since event"), and one more delivery must leave every object encrypted with the same properties.
 *
 * <p>Sized to prove the point in seconds: 12 keys x 6 writes, spread over about three seconds, race with a deliverer
 * invoking the function back to back (at least 24 object results asserted, 6 with versions); a quarter of the keys are
 * written from inside the function, right after its first read, so the between-read-and-write race happens in every
 * run rather than by chance (a run counts and asserts its races). Without
 * versions the writers leave the storage class alone: a change of it landing in the milliseconds between the
 * function's last read and its copy is the residual window the README names.
 */
class S3CopyStormEmulatorTest extends S3EmulatorTest {
    static final int KEYS = 12;
    static final int WRITES_PER_KEY = 6;
    static final String VERSIONED = "atrest-storm";

    record Write(String content, Map<String, String> metadata, String contentType, String storageClass,
                 Map<String, String> tags) {}

    private final Map<String, Write> last = new ConcurrentHashMap<>();

    @AfterEach
    void clearHook() {
        S3CallLog.afterFunctionHead(null);
    }

    private void put(String bucket, String key, Write w) {
        f.s3.putObject(b -> b.bucket(bucket).key(key).contentType(w.contentType()).metadata(w.metadata())
                .storageClass(w.storageClass()).tagging(tagging(w.tags())), RequestBody.fromString(w.content()));
        last.put(key, w);
    }

    /** An in-place copy that replaces metadata, content type, tags and storage class: the ETag stays. */
    private void sameEtag(String bucket, String key, Write w) {
        f.s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                .metadataDirective(MetadataDirective.REPLACE).contentType(w.contentType()).metadata(w.metadata())
                .taggingDirective(TaggingDirective.REPLACE).tagging(tagging(w.tags()))
                .storageClass(w.storageClass()));
        last.put(key, w);
    }

    private static String tagging(Map<String, String> tags) {
        return String.join("&", tags.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    /** The n-th write of {@code key}: even ones change the content, odd ones keep the ETag. */
    private void write(String bucket, String key, int n, boolean versioned) {
        Write previous = last.get(key);
        String storageClass = versioned && n % 3 == 1 ? (n % 2 == 0 ? "STANDARD" : "STANDARD_IA")
                : previous == null ? "STANDARD" : previous.storageClass();
        Write w = new Write(n % 2 == 0 ? "content " + n + " of " + key : previous.content(), Map.of("rev",
                Integer.toString(n)), n % 4 < 2 ? "text/plain" : "text/csv", storageClass, Map.of("rev",
                Integer.toString(n), "key", Integer.toString(key.hashCode() & 0xff)));
        if (n % 2 == 0) {
            put(bucket, key, w);
        } else {
            sameEtag(bucket, key, w);
        }
    }

    @ParameterizedTest(name = "versioned bucket {0}")
    @ValueSource(booleans = {true, false})
    void theLastWriteAlwaysWinsAndNoWriteOfSomeoneElseIsEverCritical(boolean versioned) throws Exception {
        String bucket = versioned ? VERSIONED : S3Fixture.BUCKET;
        if (versioned) {
            f.s3.createBucket(b -> b.bucket(bucket));
            f.versioned(bucket);
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            keys.add("storm/k-" + i);
            write(bucket, keys.get(i), 0, versioned);
        }
        List<String> hooked = keys.subList(0, KEYS / 4);
        List<String> free = keys.subList(KEYS / 4, KEYS);
        Map<String, AtomicInteger> hookWrites = new ConcurrentHashMap<>();
        S3CallLog.afterFunctionHead((b, key) -> {
            // The key's only writer: a same-ETag write right after the function's first read of each invocation.
            if (hooked.contains(key) && hookWrites.computeIfAbsent(key, k -> new AtomicInteger()).get() < 2) {
                int n = 1 + 2 * hookWrites.get(key).getAndIncrement();
                write(bucket, key, n, versioned);
            }
        });
        ReencryptConfig config = f.config().withMethod(ReencryptMethod.COPY);
        long started = System.nanoTime();
        List<JsonNode> items = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                List<String> mine = free.subList(t * free.size() / 2, (t + 1) * free.size() / 2);
                writers.add(pool.submit(() -> {
                    Random random = new Random(mine.hashCode());
                    for (int n = 1; n < WRITES_PER_KEY; n++) {
                        for (String key : mine) {
                            write(bucket, key, n, versioned);
                            // Spread over a few seconds, so that the deliverers run many invocations meanwhile.
                            sleep(40 + random.nextInt(80));
                        }
                    }
                    return null;
                }));
            }
            List<Future<?>> deliverers = new ArrayList<>();
            for (int d = 0; d < 1; d++) {
                int seed = d;
                deliverers.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    do {
                        List<String> event = new ArrayList<>();
                        for (int i = 0; i < 4; i++) {
                            event.add(keys.get(random.nextInt(keys.size())));
                        }
                        deliver(config, bucket, event.stream().distinct().toList(), items);
                    } while (writing.get());
                    return null;
                }));
            }
            for (Future<?> w : writers) {
                w.get(120, TimeUnit.SECONDS);
            }
            writing.set(false);
            for (Future<?> d : deliverers) {
                d.get(120, TimeUnit.SECONDS);
            }
        }
        S3CallLog.afterFunctionHead(null);
        double stormSeconds = (System.nanoTime() - started) / 1e9;
        Map<String, Long> outcomes = tally(items);

        Map<String, double[]> timing = new TreeMap<>();
        f.emulator.requests().forEach(r -> {
            double[] t = timing.computeIfAbsent(String.valueOf(r.get("operation")), k -> new double[2]);
            t[0]++;
            t[1] += ((Number) r.get("ms")).doubleValue();
        });
        StringBuilder ms = new StringBuilder();
        timing.forEach((op, t) -> ms.append(op).append('=').append((int) t[0]).append('x')
                .append(Math.round(t[1] / t[0])).append("ms "));
        System.out.println("   emulator: " + ms);
        List<String> problems = new ArrayList<>();
        checkLastWrites(bucket, keys, false, problems);
        List<JsonNode> converge = new CopyOnWriteArrayList<>();
        deliver(config, bucket, keys, converge);
        checkLastWrites(bucket, keys, true, problems);
        long races = items.stream().filter(i -> i.path("reason").asText().startsWith("changed since event")).count();
        System.out.printf("== S3 copy storm (versioned %s): %d keys, %d writes (%d from inside the function), %d "
                + "items in %.1f s ==%n   %s%n   convergence delivery: %s%n", versioned, KEYS, KEYS * WRITES_PER_KEY
                - hooked.size() * (WRITES_PER_KEY - 1 - 2), hookWrites.values().stream().mapToInt(AtomicInteger::get)
                .sum(), items.size(), stormSeconds, outcomes, tally(converge));

        if (!problems.isEmpty()) {
            // What reached S3 for the first key in trouble, in order: the story of the loss.
            String key = problems.get(0).substring(0, problems.get(0).indexOf(':'));
            f.emulator.requests().stream().filter(r -> String.valueOf(r.get("path")).endsWith("/" + key))
                    .forEach(r -> System.out.println("   " + r.get("operation") + " " + r.get("status") + " "
                            + r.get("query")));
            items.stream().filter(i -> i.path("resource").asText().endsWith(key))
                    .forEach(i -> System.out.println("   item " + i));
        }
        assertThat(problems).as("objects not holding their last write").isEmpty();
        assertThat(outcomes.keySet()).as("no CRITICAL, no failure").allMatch(k -> k.startsWith("CHANGED")
                || k.startsWith("SKIPPED") || k.startsWith("COMPLIANT"));
        assertThat(tally(converge).keySet()).allMatch(k -> k.startsWith("CHANGED") || k.startsWith("COMPLIANT"));
        assertThat(races).as("writes landed between the function's read and its write").isGreaterThanOrEqualTo(
                hooked.size());
        // moto's ListObjectVersions copies every version of the bucket, so with versions each invocation is slower
        // and fewer run while the writers write; the races inside the function make the point all the same.
        assertThat(items).as("the function ran while the writers wrote").hasSizeGreaterThanOrEqualTo(
                versioned ? KEYS / 2 : 2 * KEYS);
        assertThat(f.emulator.count("s3", "GetObject")).as("the function reads no content; the test reads it last")
                .isEqualTo(2L * KEYS);
    }

    private void deliver(ReencryptConfig config, String bucket, List<String> keys, List<JsonNode> items) {
        String event = S3Fixture.notificationBy("AWS:AROAEXAMPLEROLEID:alice", bucket, keys.toArray(String[]::new));
        try {
            f.invoke(config, event).path("items").forEach(items::add);
        } catch (RetryableFailureException e) {
            throw new AssertionError("a retryable failure in the storm: " + e.summary().getItems(), e);
        }
    }

    private void checkLastWrites(String bucket, List<String> keys, boolean encrypted, List<String> problems) {
        for (String key : keys) {
            Write w = last.get(key);
            var h = f.s3.headObject(b -> b.bucket(bucket).key(key));
            Map<String, String> tags = new TreeMap<>();
            f.s3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet().forEach(t -> tags.put(t.key(), t.value()));
            String content = f.s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
            String storageClass = h.storageClassAsString() == null ? "STANDARD" : h.storageClassAsString();
            if (!content.equals(w.content()) || !h.metadata().equals(w.metadata())
                    || !w.contentType().equals(h.contentType()) || !w.storageClass().equals(storageClass)
                    || !new TreeMap<>(w.tags()).equals(tags)) {
                problems.add(key + ": holds " + content + " " + h.metadata() + " " + h.contentType() + " "
                        + storageClass + " " + tags + ", last write was " + w);
            }
            if (encrypted && !f.keyArn.equals(h.ssekmsKeyId())) {
                problems.add(key + ": not encrypted after the convergence delivery");
            }
        }
    }

    private static Map<String, Long> tally(List<JsonNode> items) {
        Map<String, Long> out = new TreeMap<>();
        for (JsonNode i : items) {
            String reason = i.path("reason").asText();
            String label = i.path("outcome").asText() + (reason.contains("restored on top") ? " (restored)"
                    : reason.startsWith("changed since event") ? " (changed since event)"
                    : reason.contains("duplicate") ? " (duplicate)" : "");
            if (i.path("details").has("earlierAttempt")) {
                label += " (same write below)";
            }
            out.merge(label, 1L, Long::sum);
        }
        return out;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
