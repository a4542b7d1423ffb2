package dev.atrest.core.summary;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.atrest.core.summary.ItemResult.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON summary every handler returns: what it was asked, what it did per item, and totals. Thread-safe, since
 * the items of one invocation are processed concurrently.
 */
@JsonPropertyOrder({"function", "trigger", "dryRun", "startedAt", "durationMs", "counts", "items", "errors"})
public final class RunSummary {
    private final String function;
    private final String trigger;
    private final boolean dryRun;
    private final Instant startedAt;
    private Long durationMs;
    private final List<ItemResult> items = Collections.synchronizedList(new ArrayList<>());
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    public RunSummary(String function, String trigger, boolean dryRun) {
        this.function = function;
        this.trigger = trigger;
        this.dryRun = dryRun;
        this.startedAt = Instant.now();
    }

    public RunSummary add(ItemResult item) {
        items.add(item);
        return this;
    }

    /** An error that is not tied to one item (a region that failed, a sink that could not publish). */
    public RunSummary error(String message) {
        errors.add(message);
        return this;
    }

    public RunSummary finish() {
        durationMs = Duration.between(startedAt, Instant.now()).toMillis();
        return this;
    }

    public String getFunction() {
        return function;
    }

    public String getTrigger() {
        return trigger;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    public String getStartedAt() {
        return startedAt.toString();
    }

    public Long getDurationMs() {
        return durationMs;
    }

    public Map<Outcome, Integer> getCounts() {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        synchronized (items) {
            for (ItemResult item : items) {
                counts.merge(item.outcome(), 1, Integer::sum);
            }
        }
        return counts;
    }

    public List<ItemResult> getItems() {
        synchronized (items) {
            return List.copyOf(items);
        }
    }

    public List<String> getErrors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    public int count(Outcome outcome) {
        return getCounts().getOrDefault(outcome, 0);
    }

    /** True when some item failed in a way a redelivery may fix: the handler then fails the invocation. */
    public boolean hasRetryableFailures() {
        return count(Outcome.RETRYABLE_FAILURE) > 0;
    }
}
