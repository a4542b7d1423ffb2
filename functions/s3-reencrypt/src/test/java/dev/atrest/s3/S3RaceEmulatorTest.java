package dev.atrest.s3;

import static dev.atrest.s3.S3Fixture.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.lambda.RetryableFailureException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Races and loops: objects overwritten by a concurrent writer while the handler processes the events naming them
 * (half with REENCRYPT_METHOD=auto, half with copy: the copy is where a race could lose a write), and 1,000
 * self-caused events. A quarter of the objects are overwritten deterministically between the function's read and its
 * write, so every size proves the rule; make test runs 250 objects (about 60 forced races), make test-full 1,000.
 */
@org.junit.jupiter.api.Tag("sized")
class S3RaceEmulatorTest extends S3EmulatorTest {
    static final int OBJECTS_PER_MODE = dev.atrest.testing.TestSize.of(125, 500);
    static final int RECORDS_PER_EVENT = 100;

    @AfterEach
    void clearHook() {
        S3CallLog.afterFunctionHead(null);
    }

    private static <T> List<T> parallel(int threads, List<java.util.concurrent.Callable<T>> work) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<T> out = new ArrayList<>();
            for (Future<T> future : pool.invokeAll(work)) {
                out.add(future.get());
            }
            return out;
        }
    }

    @Test
    void objectsOverwrittenDuringProcessingNeverLoseTheirNewestContent() throws Exception {
        long started = System.nanoTime();
        Map<String, String> newest = new ConcurrentHashMap<>();
        Map<String, ReencryptMethod> modeOf = new TreeMap<>();
        List<java.util.concurrent.Callable<Void>> seeding = new ArrayList<>();
        for (ReencryptMethod mode : List.of(ReencryptMethod.AUTO, ReencryptMethod.COPY)) {
            for (int i = 0; i < OBJECTS_PER_MODE; i++) {
                String key = "race/" + mode.name().toLowerCase() + "/k-" + i;
                modeOf.put(key, mode);
                int n = i;
                seeding.add(() -> {
                    // auto: SSE-S3 objects are updated in place, unencrypted ones copied; copy: always copied.
                    String body = "v1 " + key;
                    f.put(key, body, n % 2 == 0 ? ServerSideEncryption.AES256 : null);
                    newest.put(key, body);
                    return null;
                });
            }
        }
        parallel(8, seeding);
        double seedSeconds = (System.nanoTime() - started) / 1e9;
        f.emulator.clearRequests();

        // The writer overwrites every object once (a tenth of them twice), in the order the events name them,
        // while the handler runs; it records each acknowledged write as the newest content.
        List<String> keys = new ArrayList<>(modeOf.keySet());
        // A quarter of the objects are overwritten deterministically between the function's HeadObject and its
        // write (the hook runs on the function's thread right after its HEAD); the concurrent writer takes the rest.
        java.util.Set<String> hooked = ConcurrentHashMap.newKeySet();
        java.util.Set<String> raced = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < keys.size(); i += 4) {
            hooked.add(keys.get(i));
        }
        S3CallLog.afterFunctionHead((bucket, key) -> {
            if (hooked.contains(key) && raced.add(key)) {
                String body = "raced " + key;
                f.s3.putObject(b -> b.bucket(bucket).key(key).serverSideEncryption(
                        key.hashCode() % 2 == 0 ? ServerSideEncryption.AES256 : null), RequestBody.fromString(body));
                newest.put(key, body);
            }
        });
        List<String> writeOrder = new ArrayList<>(keys.stream().filter(k -> !hooked.contains(k)).toList());
        writeOrder.addAll(List.copyOf(writeOrder.subList(0, writeOrder.size() / 10)));
        AtomicInteger writes = new AtomicInteger();
        Random random = new Random(7);
        Thread writer = Thread.ofPlatform().name("overwriter").start(() -> {
            for (String key : writeOrder) {
                String body = "v" + (writes.incrementAndGet() + 1) + " " + key + " " + random.nextInt();
                f.s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(body));
                newest.put(key, body);
            }
        });
        long processing = System.nanoTime();
        Map<String, Long> counts = new TreeMap<>();
        for (ReencryptMethod mode : List.of(ReencryptMethod.AUTO, ReencryptMethod.COPY)) {
            List<String> modeKeys = keys.stream().filter(k -> modeOf.get(k) == mode).toList();
            ReencryptConfig config = f.config().withMethod(mode);
            for (int from = 0; from < modeKeys.size(); from += RECORDS_PER_EVENT) {
                List<String> eventKeys = modeKeys.subList(from, Math.min(from + RECORDS_PER_EVENT, modeKeys.size()));
                tally(counts, mode, invokeWithRetries(config, S3Fixture.notification(eventKeys.toArray(String[]::new))));
            }
        }
        double processingSeconds = (System.nanoTime() - processing) / 1e9;
        writer.join();
        S3CallLog.afterFunctionHead(null);
        assertThat(raced).hasSize(hooked.size());
        assertThat(f.emulator.count("s3", "GetObject")).as("the function reads no object content").isZero();

        // Every overwrite causes its own event: delivering those converges, and still loses nothing.
        Map<String, Long> second = new TreeMap<>();
        for (ReencryptMethod mode : List.of(ReencryptMethod.AUTO, ReencryptMethod.COPY)) {
            List<String> modeKeys = keys.stream().filter(k -> modeOf.get(k) == mode).toList();
            for (int from = 0; from < modeKeys.size(); from += RECORDS_PER_EVENT) {
                List<String> eventKeys = modeKeys.subList(from, Math.min(from + RECORDS_PER_EVENT, modeKeys.size()));
                tally(second, mode, invokeWithRetries(f.config().withMethod(mode),
                        S3Fixture.notification(eventKeys.toArray(String[]::new))));
            }
        }

        List<java.util.concurrent.Callable<String>> checks = new ArrayList<>();
        for (String key : keys) {
            checks.add(() -> {
                String content = f.content(key);
                if (!content.equals(newest.get(key))) {
                    return key + ": holds '" + content + "', newest write was '" + newest.get(key) + "'";
                }
                var head = f.head(key);
                if (!f.keyArn.equals(head.ssekmsKeyId())) {
                    return key + ": not under the target key after the second delivery: " + head.ssekmsKeyId();
                }
                return null;
            });
        }
        List<String> problems = parallel(8, checks).stream().filter(java.util.Objects::nonNull).toList();
        double total = (System.nanoTime() - started) / 1e9;
        System.out.printf("""
                == S3 races: %d objects (%d auto, %d copy), %d overwrites by a concurrent writer, %d between the function's HEAD and its write ==
                first delivery (while overwritten): %s
                second delivery (the overwrites' events): %s
                seeding %.1f s, first delivery %.1f s, whole test %.1f s
                """, keys.size(), OBJECTS_PER_MODE, OBJECTS_PER_MODE, writes.get(), raced.size(), counts, second, seedSeconds,
                processingSeconds, total);
        assertThat(problems).as("objects holding older content than their newest write").isEmpty();
        // The emulator holds one lock across a copy's If-Match check and the write, as S3 evaluates it atomically:
        // a CRITICAL here would be a real verification failure, not the emulator's race.
        assertThat(counts.keySet()).noneMatch(k -> k.contains("FAILED") || k.contains("RETRYABLE")
                || k.contains("CRITICAL"));
        assertThat(second.keySet()).allMatch(k -> k.endsWith("CHANGED") || k.endsWith("COMPLIANT"));
    }

    private JsonNode invokeWithRetries(ReencryptConfig config, String event) {
        for (int attempt = 1; ; attempt++) {
            try {
                return f.invoke(config, event);
            } catch (RetryableFailureException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static void tally(Map<String, Long> counts, ReencryptMethod mode, JsonNode summary) {
        for (JsonNode item : summary.path("items")) {
            String reason = item.path("reason").asText();
            String label = item.path("outcome").asText();
            if (reason.startsWith("changed since event")) {
                label += " (changed since event)";
            } else if ("CRITICAL".equals(label)) {
                label += " (verification saw a newer write: " + item.path("details").path("differences") + ")";
            }
            counts.merge(mode.name().toLowerCase() + " " + item.path("action").asText() + " " + label, 1L, Long::sum);
        }
    }

    @Test
    void aThousandSelfCausedEventsCostNoS3RequestAndNoWrite() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            keys.add("self/obj-" + i);
        }
        f.put("self/obj-0", "would be re-encrypted if acted on", ServerSideEncryption.AES256);
        f.emulator.clearRequests();
        long ignored = 0;
        for (int from = 0; from < keys.size(); from += RECORDS_PER_EVENT) {
            JsonNode summary = f.invoke(S3Fixture.notificationBy(S3Fixture.OWN_PRINCIPAL, BUCKET,
                    keys.subList(from, from + RECORDS_PER_EVENT).toArray(String[]::new)));
            for (JsonNode item : summary.path("items")) {
                assertThat(item.path("action").asText()).isEqualTo("IGNORE_EVENT");
                ignored++;
            }
        }
        System.out.printf("== 1000 self-caused events: %d ignored, %d S3 requests ==%n", ignored,
                f.emulator.count("s3"));
        assertThat(ignored).isEqualTo(1000);
        assertThat(f.emulator.requests()).as("S3 requests (writes included)").isEmpty();
        assertThat(f.head("self/obj-0").serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        Collections.shuffle(keys);
    }
}
