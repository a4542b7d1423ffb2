package dev.atrest.s3;

import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.json.UntrustedText;
import dev.atrest.core.lambda.Invocation;
import dev.atrest.core.summary.ItemResult;
import dev.atrest.core.summary.ItemResult.Outcome;
import dev.atrest.s3.Decision.Action;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.argument.StructuredArguments;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * For each object an event names: HeadObject, decide, re-encrypt (unless dry run), verify, record. Objects are
 * processed concurrently up to a bound; one object's failure never stops the others.
 */
public final class ReencryptService {
    private static final Logger LOG = LoggerFactory.getLogger(ReencryptService.class);
    private static final String REJECT_RECORD = "REJECT_RECORD";
    /** Malformed records logged one by one per invocation; the rest are counted in one line. */
    static final int LOGGED_REJECTIONS = 20;

    private final ReencryptConfig config;
    private final ObjectEncryptionPolicy policy;
    private final S3Gateway s3;
    private final InPlaceCopy copies;
    private final ScopedBuckets buckets;

    public ReencryptService(ReencryptConfig config, S3Gateway s3, String homeRegion) {
        this.config = config;
        this.policy = ObjectEncryptionPolicy.of(config);
        this.s3 = s3;
        this.copies = new InPlaceCopy(config, s3);
        this.buckets = new ScopedBuckets(config.scope(), homeRegion, s3::bucketFacts, Instant::now);
    }

    public ReencryptConfig config() {
        return config;
    }

    /** One result per task, in the tasks' order. */
    public List<ItemResult> process(List<ObjectTask> tasks) {
        AtomicLong bytesCopied = new AtomicLong();
        List<ItemResult> results = new ArrayList<>(tasks.size());
        Map<String, String> firstSeen = new HashMap<>();
        List<Integer> toRun = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            ObjectTask t = tasks.get(i);
            results.add(null);
            if (t.problem() == null) {
                // At-least-once delivery and batched records can name one object twice: one look is enough.
                String previous = firstSeen.putIfAbsent(t.resource(), t.id());
                if (previous != null) {
                    results.set(i, result(t, "IGNORE_EVENT", Outcome.SKIPPED,
                            "duplicate of " + previous + " in this invocation", Map.of()));
                    continue;
                }
            }
            toRun.add(i);
        }
        if (toRun.size() == 1) {
            int i = toRun.get(0);
            results.set(i, safely(tasks.get(i), bytesCopied));
        } else if (!toRun.isEmpty()) {
            Semaphore permits = new Semaphore(config.maxConcurrency());
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                Map<Integer, Future<ItemResult>> futures = new LinkedHashMap<>();
                for (int i : toRun) {
                    ObjectTask t = tasks.get(i);
                    futures.put(i, pool.submit(() -> {
                        permits.acquire();
                        try {
                            return safely(t, bytesCopied);
                        } finally {
                            permits.release();
                        }
                    }));
                }
                for (Map.Entry<Integer, Future<ItemResult>> e : futures.entrySet()) {
                    results.set(e.getKey(), await(tasks.get(e.getKey()), e.getValue()));
                }
            }
        }
        logRejected(tasks, results);
        metrics(results, bytesCopied.get());
        return results;
    }

    /**
     * Malformed records are logged here, not one by one as they are processed: the first few with their reason, then
     * one line with the count, so that a hostile event of thousands of bad records cannot flood the logs. Every one
     * of them is still in the results.
     */
    private static void logRejected(List<ObjectTask> tasks, List<ItemResult> results) {
        int rejected = 0;
        for (int i = 0; i < results.size(); i++) {
            ItemResult r = results.get(i);
            if (r != null && REJECT_RECORD.equals(r.action()) && ++rejected <= LOGGED_REJECTIONS) {
                LOG.warn("{} {}: {}", UntrustedText.abbreviate(tasks.get(i).resource()), r.outcome(), r.reason(),
                        StructuredArguments.entries(logFields(r)));
            }
        }
        if (rejected > LOGGED_REJECTIONS) {
            LOG.warn("{} more malformed records rejected (not logged one by one; each is in the summary)",
                    rejected - LOGGED_REJECTIONS);
        }
    }

    private static ItemResult await(ObjectTask t, Future<ItemResult> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result(t, "NONE", Outcome.RETRYABLE_FAILURE, "interrupted", Map.of());
        } catch (ExecutionException e) {
            return result(t, "NONE", Outcome.RETRYABLE_FAILURE, "unexpected error: " + e.getCause(), Map.of());
        }
    }

    /** Never throws: whatever happens to one object becomes its result. */
    private ItemResult safely(ObjectTask t, AtomicLong bytesCopied) {
        ItemResult r;
        try {
            r = processOne(t, bytesCopied);
        } catch (AwsFailure f) {
            r = failed(t, f, Map.of());
        } catch (RuntimeException e) {
            LOG.error("unexpected error", e);
            r = result(t, "NONE", Outcome.RETRYABLE_FAILURE, "unexpected error: " + e, Map.of());
        }
        log(t, r);
        return r;
    }

    private ItemResult processOne(ObjectTask t, AtomicLong bytesCopied) {
        if (t.problem() != null) {
            return result(t, REJECT_RECORD, Outcome.FAILED, "malformed record: " + t.problem(), Map.of());
        }
        if (t.outOfScope() != null) {
            return result(t, "IGNORE_EVENT", Outcome.SKIPPED, t.outOfScope(), Map.of());
        }
        String outside = buckets.byName(t.bucket());
        if (outside != null) {
            return result(t, "IGNORE_EVENT", Outcome.SKIPPED, outside, Map.of());
        }
        if (LoopGuard.selfCaused(t.principal(), config.functionRoleId())) {
            return result(t, "IGNORE_EVENT", Outcome.SKIPPED, "event caused by this function's own write",
                    Map.of("principal", t.principal()));
        }
        outside = buckets.byFacts(t.bucket());
        if (outside != null) {
            return result(t, "IGNORE_EVENT", Outcome.SKIPPED, outside, Map.of());
        }
        HeadResult head = s3.head(t.bucket(), t.key(), t.versionId());
        Instant now = Instant.now();
        Decision decision = policy.decide(head, now);
        ObjectState before = head.state();
        Map<String, Object> details = new LinkedHashMap<>();
        if (before != null) {
            details.put("versionId", before.versionId());
            details.put("before", before.describeEncryption());
            details.put("storageClass", before.storageClass());
            details.put("size", before.size());
            if (!before.lock().none()) {
                details.put("objectLock", before.lock().describe());
            }
        }
        switch (decision.action()) {
            case COMPLIANT:
                return result(t, "NONE", Outcome.COMPLIANT, decision.reason(), details);
            case SKIP:
                return result(t, "SKIP", Outcome.SKIPPED, decision.reason(), details);
            default:
                break;
        }
        if (config.dryRun()) {
            String refusal = decision.action().copies()
                    ? CopyPlanner.refusalFromHead(before, decision.action(), now) : null;
            if (refusal != null) {
                return result(t, decision.action().name(), Outcome.REPORTED, "dry run, would not copy: " + refusal,
                        details);
            }
            return result(t, decision.action().name(), Outcome.CHANGED, "dry run, would re-encrypt: "
                    + decision.reason(), details);
        }
        if (decision.action() == Action.UPDATE_ENCRYPTION) {
            try {
                s3.updateEncryption(before, config.targetKeyArn(), config.bucketKeyEnabled());
                details.put("method", "UpdateObjectEncryption");
                return verifiedUpdate(t, before, decision, details);
            } catch (AwsFailure f) {
                Decision fallback = policy.afterUpdateRejected(before, f.kind(), f.getMessage());
                if (fallback == null) {
                    return failed(t, f, details);
                }
                decision = fallback;
                if (decision.action() == Action.SKIP) {
                    return result(t, "SKIP", Outcome.SKIPPED, decision.reason(), details);
                }
            }
        }
        return copies.run(t, before, decision, details, bytesCopied);
    }

    /**
     * UpdateObjectEncryption names the version it changes, and keeps the ETag. In an unversioned bucket the
     * verification reads the current object: another ETag there (or no object) means a newer write replaced it,
     * which is kept and re-checked by its own event; UpdateObjectEncryption never changes an ETag.
     */
    private ItemResult verifiedUpdate(ObjectTask t, ObjectState before, Decision decision,
                                      Map<String, Object> details) {
        if (!config.verifyAfterWrite()) {
            return result(t, Action.UPDATE_ENCRYPTION.name(), Outcome.CHANGED, decision.reason(), details);
        }
        HeadResult after = s3.head(before.bucket(), before.key(), before.versionId());
        if (after.state() != null) {
            details.put("after", after.state().describeEncryption());
        }
        if (overwrittenMeanwhile(before, after)) {
            return result(t, Action.UPDATE_ENCRYPTION.name(), Outcome.SKIPPED, "changed since event: the object was "
                    + "overwritten between HeadObject and the verification (ETag " + before.etag() + " -> "
                    + (after.state() == null ? after.presence() : after.state().etag()) + "); UpdateObjectEncryption "
                    + "never changes the ETag, the newer write is kept and its own event re-checks it", details);
        }
        List<String> differences = WriteVerification.differences(before, after, Action.UPDATE_ENCRYPTION,
                config.targetKeyArn(), config.bucketKeyEnabled());
        if (!differences.isEmpty()) {
            details.put("differences", differences);
            return result(t, Action.UPDATE_ENCRYPTION.name(), Outcome.CRITICAL, "verification after the write found "
                    + "differences: " + String.join("; ", differences), details);
        }
        return result(t, Action.UPDATE_ENCRYPTION.name(), Outcome.CHANGED, decision.reason() + "; verified", details);
    }

    /**
     * In an unversioned bucket the update names no version, so the verification reads whatever is current. The
     * update changes the encryption and nothing else: no object, or any other property changed (ETag,
     * LastModified, size, metadata, content headers, storage class, tags, website redirect, checksum), is a newer
     * write, not a difference of ours; LastModified alone would not do (one-second resolution).
     */
    static boolean overwrittenMeanwhile(ObjectState before, HeadResult after) {
        if (before.versionId() != null) {
            return false;
        }
        return after.state() == null || !WriteVerification.changesSince(before, HeadResult.present(
                new ObjectState(after.state().bucket(), after.state().key(), after.state().versionId(),
                        before.encryption(), before.kmsKeyId(), before.bucketKeyEnabled(), after.state().storageClass(),
                        after.state().archiveStatus(), after.state().size(), after.state().etag(),
                        after.state().lastModified(), after.state().checksumAlgorithm(), after.state().checksumValue(),
                        after.state().checksumType(), after.state().tagCount(), after.state().headers(),
                        after.state().metadata(), after.state().website(), after.state().lock())), null, null)
                .isEmpty();
    }

    static ItemResult failed(ObjectTask t, AwsFailure f, Map<String, Object> details) {
        Map<String, Object> d = new LinkedHashMap<>(details);
        d.put("failure", f.kind().name());
        return switch (f.kind()) {
            case RETRYABLE -> result(t, "NONE", Outcome.RETRYABLE_FAILURE, f.getMessage(), d);
            case NOT_FOUND -> result(t, "SKIP", Outcome.SKIPPED, "object no longer exists: " + f.getMessage(), d);
            case PRECONDITION_FAILED -> result(t, "SKIP", Outcome.SKIPPED, "changed since event: " + f.getMessage(), d);
            default -> result(t, "NONE", Outcome.FAILED, f.getMessage(), d);
        };
    }

    static ItemResult result(ObjectTask t, String action, Outcome outcome, String reason,
                                     Map<String, Object> details) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("source", t.id());
        if (t.bucket() != null) {
            d.put("bucket", t.bucket());
            d.put("key", t.key());
        }
        details.forEach((k, v) -> {
            if (v != null) {
                d.put(k, v);
            }
        });
        return new ItemResult(t.resource(), action, outcome, reason, d);
    }

    private static Map<String, Object> logFields(ItemResult r) {
        Map<String, Object> fields = new LinkedHashMap<>(r.details());
        fields.put("outcome", r.outcome().name());
        fields.put("action", r.action());
        return fields;
    }

    private static void log(ObjectTask t, ItemResult r) {
        if (REJECT_RECORD.equals(r.action())) {
            return; // logRejected
        }
        Map<String, Object> fields = logFields(r);
        if (r.outcome() == Outcome.CRITICAL || r.outcome() == Outcome.FAILED
                || r.outcome() == Outcome.RETRYABLE_FAILURE) {
            LOG.error("{} {}: {}", UntrustedText.abbreviate(t.resource()), r.outcome(), r.reason(), StructuredArguments.entries(fields));
        } else {
            LOG.info("{} {}: {}", UntrustedText.abbreviate(t.resource()), r.outcome(), r.reason(), StructuredArguments.entries(fields));
        }
    }

    private void metrics(List<ItemResult> results, long bytesCopied) {
        long changed = results.stream().filter(r -> r.outcome() == Outcome.CHANGED).count();
        Metrics metrics = Invocation.metrics();
        metrics.addMetric(config.dryRun() ? "ObjectsWouldReencrypt" : "ObjectsReencrypted", changed, MetricUnit.COUNT);
        metrics.addMetric("ObjectsCompliant", count(results, Outcome.COMPLIANT), MetricUnit.COUNT);
        metrics.addMetric("ObjectsSkipped", count(results, Outcome.SKIPPED), MetricUnit.COUNT);
        metrics.addMetric("ObjectsFailed", count(results, Outcome.FAILED) + count(results, Outcome.RETRYABLE_FAILURE),
                MetricUnit.COUNT);
        metrics.addMetric("ObjectsCritical", count(results, Outcome.CRITICAL), MetricUnit.COUNT);
        metrics.addMetric("BytesCopied", bytesCopied, MetricUnit.BYTES);
    }

    private static long count(List<ItemResult> results, Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }
}
