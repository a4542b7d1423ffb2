package dev.atrest.audit.check;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The facts checks give each other in one run. Only kinds some registered check consumes are kept: a fact nobody
 * reads costs nothing. A producer's scope that failed leaves its kinds incomplete in that region, and a consumer
 * must not read an absence there as evidence (no known dependents is not "no dependents").
 */
public final class RunFacts {
    private final Set<FactKind<?>> kept;
    private final Map<FactKind<?>, Queue<Object>> facts = new ConcurrentHashMap<>();
    private final Map<FactKind<?>, Set<String>> incomplete = new ConcurrentHashMap<>();
    private final Map<FactKind<?>, Set<String>> retryable = new ConcurrentHashMap<>();

    /** @param kept the kinds some check of the run consumes ({@link CheckRegistry#consumed()}) */
    public RunFacts(Set<FactKind<?>> kept) {
        this.kept = Set.copyOf(kept);
    }

    public <T> void add(FactKind<T> kind, T fact) {
        if (kept.contains(kind)) {
            facts.computeIfAbsent(kind, k -> new ConcurrentLinkedQueue<>()).add(kind.type().cast(fact));
        }
    }

    /** Every fact of the kind given so far; complete once every producer's phase has ended. */
    public <T> List<T> all(FactKind<T> kind) {
        Queue<Object> given = facts.get(kind);
        return given == null ? List.of() : given.stream().map(kind.type()::cast).toList();
    }

    /** Marks the kind incomplete in {@code region}: a check producing it could not read that region. */
    public void incomplete(FactKind<?> kind, String region) {
        incomplete(kind, region, false);
    }

    /**
     * Marks the kind incomplete in {@code region}, and whether the read that failed may pass on a later try (its
     * consumers' scopes then fail the same way, so the invocation is retried rather than reported as failed).
     */
    public void incomplete(FactKind<?> kind, String region, boolean mayPassLater) {
        incomplete.computeIfAbsent(kind, k -> ConcurrentHashMap.newKeySet()).add(region);
        if (mayPassLater) {
            retryable.computeIfAbsent(kind, k -> ConcurrentHashMap.newKeySet()).add(region);
        }
    }

    /** True when a read that left the kind incomplete in {@code region} may pass on a later try. */
    public boolean incompleteMayPassLater(FactKind<?> kind, String region) {
        return retryable.getOrDefault(kind, Set.of()).contains(region);
    }

    /** True when every producer of the kind read {@code region} completely. */
    public boolean complete(FactKind<?> kind, String region) {
        return !incomplete.getOrDefault(kind, Set.of()).contains(region);
    }
}
