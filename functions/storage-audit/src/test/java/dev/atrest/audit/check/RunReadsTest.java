package dev.atrest.audit.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.core.aws.AwsFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunReadsTest {
    private final RunReads reads = new RunReads();

    @Test
    void aThingIsReadOnceWhoeverAsksAndReadsOfDifferentThingsRunTogether() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        CountDownLatch both = new CountDownLatch(2);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String what = "bucket-" + (i % 2);
                answers.add(pool.submit(() -> reads.once(what, () -> {
                    asked.incrementAndGet();
                    both.countDown();
                    try {
                        // Each first read waits for the other's: they could not both finish if one held a lock.
                        both.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return what;
                })));
            }
            for (int i = 0; i < 16; i++) {
                assertThat(answers.get(i).get()).isEqualTo("bucket-" + (i % 2));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(asked).hasValue(2);
    }

    @Test
    void aFailedReadIsNotRememberedAndFailsAsIs() {
        AwsFailure denied = new AwsFailure(AwsFailure.Kind.RETRYABLE, "GetBucketEncryption b", null, "503", null);
        assertThatThrownBy(() -> reads.once("b", () -> {
            throw denied;
        })).isSameAs(denied);
        assertThat(reads.<String>once("b", () -> "second")).isEqualTo("second");
        assertThat(reads.<String>once("b", () -> "third")).isEqualTo("second");
    }
}
