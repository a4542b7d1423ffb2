package dev.atrest.audit.check;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Reads two checks of one run make of the same thing (the account's bucket list, a bucket's encryption
 * configuration), made once. A read that fails is not remembered: the next asker tries again.
 */
public final class RunReads {
    private final Map<String, Object> done = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    public <T> T once(String what, Supplier<T> read) {
        return (T) done.computeIfAbsent(what, k -> read.get());
    }
}
