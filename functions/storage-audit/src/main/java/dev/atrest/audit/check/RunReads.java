package dev.atrest.audit.check;

import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Reads two checks of one run make of the same thing (the account's bucket list, a bucket's encryption
 * configuration), made once: a second asker waits for the first one's answer. A read that fails is not remembered:
 * the next asker tries again. Each read runs outside any lock, so reads of different things run in parallel.
 */
public final class RunReads {
    private final Map<String, Future<Object>> done = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    public <T> T once(String what, Supplier<T> read) {
        FutureTask<Object> mine = new FutureTask<>(read::get);
        Future<Object> first = done.putIfAbsent(what, mine);
        Future<Object> answer = first != null ? first : mine;
        if (first == null) {
            mine.run();
        }
        try {
            return (T) answer.get();
        } catch (ExecutionException e) {
            done.remove(what, answer);
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + what, e);
        } catch (CancellationException e) {
            throw new IllegalStateException("read of " + what + " cancelled", e);
        }
    }
}
