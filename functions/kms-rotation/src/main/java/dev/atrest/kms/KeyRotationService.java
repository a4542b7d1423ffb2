package dev.atrest.kms;

import dev.atrest.core.aws.Arns;
import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.json.UntrustedText;
import dev.atrest.core.lambda.Invocation;
import dev.atrest.core.summary.ItemResult.Outcome;
import dev.atrest.core.summary.ItemResult;
import dev.atrest.core.summary.RunSummary;
import dev.atrest.kms.RotationDecision.Action;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Runs a trigger: for each key, describe, decide, act, verify, record. A failure on one key is recorded on that key
 * and never stops the others; a sweep covers each of its Regions on its own, so a Region that fails is reported and
 * never stops the others.
 */
public final class KeyRotationService {
    static final String FUNCTION = "KmsRotationFunction";
    private static final Logger LOG = LoggerFactory.getLogger(KeyRotationService.class);
    /** A replica leads to its primary once, and a bulk tag read may be confirmed once; more means inconsistent data. */
    private static final int MAX_STEPS = 8;
    /**
     * Regions swept at once. Each Region has its own KMS request quotas, so they do not compete; the bound keeps
     * the threads (this times SWEEP_CONCURRENCY) few.
     */
    static final int REGION_CONCURRENCY = 4;

    /**
     * The AWS side, one gateway per service.
     *
     * @param kms the KMS gateway of a Region
     * @param tagging the Tagging API gateway of a Region
     * @param enabledRegions the Regions enabled for the account (asked only for REGIONS=all)
     */
    public record Gateways(Function<String, KmsGateway> kms, Function<String, TaggingGateway> tagging,
                           Supplier<List<String>> enabledRegions) {}

    private final RotationConfig config;
    private final KeyRotationPolicy policy;
    private final Gateways gateways;
    private final String homeRegion;
    private final RemediationNotices notices;

    /**
     * @param homeRegion the function's own Region (swept when REGIONS is empty)
     * @param notices where person-caused remediations are published, or null
     */
    public KeyRotationService(RotationConfig config, KeyRotationPolicy policy, Gateways gateways, String homeRegion,
                              RemediationNotices notices) {
        this.config = config;
        this.policy = policy;
        this.gateways = gateways;
        this.homeRegion = homeRegion;
        this.notices = notices;
    }

    public RunSummary run(Trigger trigger) {
        return run(trigger, () -> true);
    }

    /**
     * @param timeLeft false once the invocation is too close to its timeout to start another key: the sweep then
     *     stops and says so, rather than being cut off by Lambda with no summary at all
     */
    public RunSummary run(Trigger trigger, BooleanSupplier timeLeft) {
        RunSummary summary = switch (trigger) {
            case Trigger.Sweep sweep -> sweep(sweep, timeLeft);
            case Trigger.KeyEvent event -> onEvent(event.call());
        };
        recordMetrics(summary);
        return summary.finish();
    }

    String homeRegion() {
        return homeRegion;
    }

    /** The summary of a trigger that is not acted on at all (see {@link EventScope}): one skipped item, no AWS call. */
    RunSummary skip(Trigger trigger, String reason) {
        RunSummary summary;
        ItemResult item;
        switch (trigger) {
            case Trigger.Sweep sweep -> {
                summary = new RunSummary(FUNCTION, "schedule:" + sweep.source(), config.dryRun());
                item = new ItemResult("(sweep)", "IGNORE_EVENT", Outcome.SKIPPED, reason, Map.of());
            }
            case Trigger.KeyEvent event -> {
                KeyApiCall call = event.call();
                summary = new RunSummary(FUNCTION, "cloudtrail:" + call.eventName(), config.dryRun());
                item = new ItemResult(call.keyRef() == null ? "(none)" : call.keyRef(), "IGNORE_EVENT",
                        Outcome.SKIPPED, reason, eventDetails(call));
            }
        }
        LOG.warn("event not acted on: {}", reason);
        summary.add(item);
        recordMetrics(summary);
        return summary.finish();
    }

    private RunSummary onEvent(KeyApiCall call) {
        RunSummary summary = new RunSummary(FUNCTION, "cloudtrail:" + call.eventName(), config.dryRun());
        Optional<String> skip = ApiCallTriage.skipReason(call, config);
        if (skip.isPresent()) {
            summary.add(new ItemResult(call.keyRef() == null ? "(none)" : call.keyRef(), "IGNORE_EVENT",
                    Outcome.SKIPPED, skip.get(), eventDetails(call)));
            return summary;
        }
        // One key: its own tags are read directly, never through the Region's bulk read.
        ItemResult item = evaluate(call.keyRef(), gateways.kms().apply(regionOf(call)), call, null);
        summary.add(item);
        notifyIfPersonCaused(call, item, summary);
        return summary;
    }

    private RunSummary sweep(Trigger.Sweep sweep, BooleanSupplier timeLeft) {
        RunSummary summary = new RunSummary(FUNCTION, "schedule:" + sweep.source(), config.dryRun());
        List<String> regions;
        try {
            regions = config.regions().resolve(homeRegion, gateways.enabledRegions());
        } catch (AwsFailure e) {
            summary.add(ItemResult.of("account:ListRegions", "SWEEP", outcomeOf(e.kind()),
                    "listing the Regions enabled for the account failed, nothing was swept: " + e.getMessage()));
            return summary;
        }
        Set<String> swept = Set.copyOf(regions);
        if (regions.size() == 1) {
            sweepRegion(regions.get(0), swept, summary, timeLeft);
            return summary;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(REGION_CONCURRENCY, regions.size()))) {
            for (String region : regions) {
                pool.execute(() -> sweepRegion(region, swept, summary, timeLeft));
            }
        }
        return summary;
    }

    /** One Region of a sweep, as its own scope: whatever fails here is recorded here and never thrown. */
    private void sweepRegion(String region, Set<String> swept, RunSummary summary, BooleanSupplier timeLeft) {
        KmsGateway kms = gateways.kms().apply(region);
        RegionSweep scope = new RegionSweep(region, swept, new BulkExemption(region, summary));
        Map<String, String> awsManaged = awsManagedKeys(kms, summary);
        // Bounded both in threads and in queued keys, so a huge account neither floods KMS nor the heap.
        Semaphore queued = new Semaphore(config.concurrency() * 4);
        try (ExecutorService pool = Executors.newFixedThreadPool(config.concurrency())) {
            try {
                kms.forEachKey(config.listKeysPageSize(), keyArn -> {
                    if (!timeLeft.getAsBoolean()) {
                        throw new OutOfTime(keyArn);
                    }
                    String alias = UntrustedText.abbreviate(
                            awsManaged.get(keyArn.substring(keyArn.lastIndexOf('/') + 1)));
                    if (alias != null) {
                        summary.add(item(keyArn, Action.NOT_APPLICABLE.name(), Outcome.SKIPPED, "AWS managed key ("
                                + alias + "): AWS rotates it every year", Map.of("alias", alias)));
                        return;
                    }
                    queued.acquireUninterruptibly();
                    pool.execute(() -> {
                        try {
                            summary.add(evaluate(keyArn, kms, null, scope));
                        } finally {
                            queued.release();
                        }
                    });
                });
            } catch (AwsFailure e) {
                summary.add(ItemResult.of("kms:ListKeys:" + region, "SWEEP", outcomeOf(e.kind()),
                        "listing keys failed, the sweep of " + region + " is incomplete: " + e.getMessage()));
            } catch (OutOfTime e) {
                // Not retryable: a retry would run out of time at the same place. The next sweep starts over.
                LOG.warn("sweep of {} stopped before {}: out of time", region, e.nextKey);
                summary.error("sweep of " + region + " stopped near the function timeout before key " + e.nextKey
                        + "; the keys from there on were not evaluated: raise the timeout or SWEEP_CONCURRENCY");
                Invocation.metrics().addMetric("SweepIncomplete", 1, MetricUnit.COUNT);
            } catch (RuntimeException e) {
                LOG.error("sweep of {} failed", region, e);
                summary.add(ItemResult.of("kms:ListKeys:" + region, "SWEEP", Outcome.FAILED,
                        "unexpected error, the sweep of " + region + " is incomplete: " + e));
            }
        }
    }

    /**
     * The Region's AWS managed keys, known from their reserved aliases: nothing to decide, so no DescribeKey. If the
     * aliases cannot be listed, every key is described instead (as safe, and dearer), and the summary says why.
     */
    private static Map<String, String> awsManagedKeys(KmsGateway kms, RunSummary summary) {
        try {
            return kms.awsManagedKeyIds();
        } catch (AwsFailure e) {
            LOG.warn("aliases of {} not listed, describing every key: {}", kms.region(), e.getMessage());
            summary.error("the aliases of " + kms.region() + " could not be listed, so AWS managed keys were "
                    + "described one by one: " + e.getMessage());
            return Map.of();
        }
    }

    /** What a key of a sweep knows of its Region: which Regions the sweep covers and the Region's exempt keys. */
    private record RegionSweep(String region, Set<String> swept, BulkExemption exemption) {}

    /**
     * The Region's keys carrying the exempt tag, read in bulk once per sweep, when the first key needs its tags: a
     * Region whose keys are all compliant costs no tag read at all. If the bulk read fails, each key's own tags are
     * read instead (slower, and as safe), and the summary says why.
     */
    private final class BulkExemption {
        private final String region;
        private final RunSummary summary;
        private Set<String> keyIds;
        private boolean failed;

        BulkExemption(String region, RunSummary summary) {
            this.region = region;
            this.summary = summary;
        }

        synchronized Optional<Set<String>> keyIds() {
            if (keyIds == null && !failed) {
                try {
                    keyIds = gateways.tagging().apply(region).kmsKeyIdsTagged(config.exemptTagKey());
                } catch (AwsFailure e) {
                    failed = true;
                    LOG.warn("bulk tag read of {} failed, reading each key's tags instead: {}", region, e.getMessage());
                    summary.error("the bulk tag read of " + region + " failed, so each key's own tags were read "
                            + "instead: " + e.getMessage());
                }
            }
            return Optional.ofNullable(keyIds);
        }
    }

    /** Ends the ListKeys iteration when the invocation runs out of time. */
    private static final class OutOfTime extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String nextKey;

        OutOfTime(String nextKey) {
            super(null, null, false, false);
            this.nextKey = nextKey;
        }
    }

    /**
     * Describes, decides and acts on one key; never throws.
     *
     * @param sweep the key's Region in a sweep, or null for a single key (its tags are then read directly)
     */
    ItemResult evaluate(String keyRef, KmsGateway kms, KeyApiCall cause, RegionSweep sweep) {
        Map<String, Object> details = cause == null ? new LinkedHashMap<>() : eventDetails(cause);
        String resource = keyRef;
        try {
            KeyFacts key = kms.describe(keyRef);
            resource = key.arn();
            KeyObservation seen = KeyObservation.of(key);
            SweepRules.TagSource tagSource = null;
            for (int step = 0; step < MAX_STEPS; step++) {
                RotationDecision decision = policy.decide(seen);
                switch (decision.action()) {
                    case READ_ROTATION_STATUS -> seen = seen.withRotation(kms.rotationStatus(key.arn()));
                    case READ_TAGS -> {
                        Optional<Set<String>> exempt = sweep != null && sweep.region().equals(kms.region())
                                ? sweep.exemption().keyIds() : Optional.empty();
                        if (exempt.isPresent()) {
                            seen = seen.withTags(exempt.get().contains(key.keyId())
                                    ? Set.of(config.exemptTagKey()) : Set.of());
                            tagSource = SweepRules.TagSource.BULK;
                        } else {
                            seen = seen.withTags(kms.tagKeys(key.arn()));
                            tagSource = SweepRules.TagSource.KEY;
                        }
                    }
                    case FOLLOW_PRIMARY -> {
                        if (details.containsKey("replicaArn") || key.primaryArn() == null || key.primaryRegion() == null) {
                            return item(resource, "FOLLOW_PRIMARY", Outcome.FAILED,
                                    "multi-Region metadata names no usable primary key", details);
                        }
                        if (sweep != null && SweepRules.primarySweptInItsRegion(key, sweep.swept())) {
                            details.put("primaryArn", key.primaryArn());
                            return item(resource, Action.NOT_APPLICABLE.name(), Outcome.SKIPPED, "multi-Region "
                                    + "replica: rotation is set on its primary, which this sweep evaluates in "
                                    + key.primaryRegion(), details);
                        }
                        details.put("replicaArn", key.arn());
                        kms = gateways.kms().apply(key.primaryRegion());
                        key = kms.describe(key.primaryArn());
                        resource = key.arn();
                        seen = KeyObservation.of(key);
                        tagSource = null;
                    }
                    default -> {
                        if (tagSource != null && SweepRules.mustConfirmExemption(decision, tagSource, config.dryRun())) {
                            seen = seen.withTags(kms.tagKeys(key.arn()));
                            tagSource = SweepRules.TagSource.KEY;
                            details.put("exemptionConfirmed", true);
                            continue;
                        }
                        if (tagSource != null) {
                            details.put("tagsReadBy", tagSource == SweepRules.TagSource.BULK ? "GetResources"
                                    : "ListResourceTags");
                        }
                        return act(decision, seen, kms, details);
                    }
                }
            }
            return item(resource, "EVALUATE", Outcome.FAILED, "no decision after " + MAX_STEPS + " steps", details);
        } catch (AwsFailure e) {
            return failure(resource, e, details);
        } catch (RuntimeException e) {
            LOG.error("unexpected failure on key {}", resource, e);
            return item(resource, "EVALUATE", Outcome.FAILED, "unexpected error: " + e, details);
        }
    }

    private ItemResult act(RotationDecision decision, KeyObservation seen, KmsGateway kms, Map<String, Object> details) {
        KeyFacts key = seen.key();
        details.put("keyState", key.keyState());
        if (seen.rotation() != null) {
            Map<String, Object> before = new LinkedHashMap<>();
            before.put("rotationEnabled", seen.rotation().enabled());
            if (seen.rotation().periodDays() != null) {
                before.put("rotationPeriodDays", seen.rotation().periodDays());
            }
            details.put("before", before);
        }
        Action action = decision.action();
        if (!action.writes()) {
            return item(key.arn(), action.name(), action.outcome(), decision.reason(), details);
        }
        int period = decision.periodDays();
        details.put("periodDays", period);
        if (config.dryRun()) {
            return item(key.arn(), action.name(), Outcome.CHANGED, "dry run, not changed: " + decision.reason(), details);
        }
        kms.enableRotation(key.arn(), period);
        RotationStatus after = kms.rotationStatus(key.arn());
        if (!after.enabled() || after.effectivePeriodDays() != period) {
            details.put("after", Map.of("rotationEnabled", after.enabled(), "rotationPeriodDays",
                    after.effectivePeriodDays()));
            return item(key.arn(), action.name(), Outcome.CRITICAL, "EnableKeyRotation succeeded but the key reports "
                    + (after.enabled() ? "a period of " + after.effectivePeriodDays() + " days" : "rotation off"),
                    details);
        }
        if (after.nextRotation() != null) {
            details.put("nextRotationDate", after.nextRotation().toString());
        }
        return item(key.arn(), action.name(), Outcome.CHANGED, decision.reason(), details);
    }

    private void notifyIfPersonCaused(KeyApiCall call, ItemResult item, RunSummary summary) {
        if (notices == null || config.dryRun() || item.outcome() != Outcome.CHANGED
                || !"DisableKeyRotation".equals(call.eventName()) || !call.caller().isPerson()) {
            return;
        }
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("function", FUNCTION);
        notice.put("keyArn", item.resource());
        notice.put("action", item.action());
        notice.put("reason", "automatic rotation was disabled by a person; atrest enabled it again");
        notice.put("rotationPeriodDays", item.details().get("periodDays"));
        notice.put("disabledBy", call.caller().describe());
        notice.put("eventName", call.eventName());
        notice.put("eventTime", call.eventTime());
        notice.put("eventId", call.eventId());
        notice.put("region", call.region());
        try {
            notices.publish("atrest: KMS key rotation re-enabled after DisableKeyRotation", notice);
        } catch (AwsFailure e) {
            LOG.error("could not publish the remediation of {}: {}", item.resource(), e.getMessage());
            summary.error("could not publish the remediation notice of " + item.resource() + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> eventDetails(KeyApiCall call) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("eventName", call.eventName());
        if (call.eventId() != null) {
            details.put("eventId", call.eventId());
        }
        if (call.caller() != null && !call.caller().describe().isEmpty()) {
            details.put("caller", call.caller().describe());
        }
        return details;
    }

    /** The region of a key ARN, else the region of the call. */
    private static String regionOf(KeyApiCall call) {
        String region = Arns.region(call.keyRef());
        return region != null ? region : call.region();
    }

    private ItemResult failure(String resource, AwsFailure e, Map<String, Object> details) {
        details.put("operation", e.operation());
        String reason = switch (e.kind()) {
            case NOT_FOUND -> "the key no longer exists (deleted or never in this region): " + e.getMessage();
            case PRECONDITION_FAILED -> "the key changed state while being handled; the next event or sweep "
                    + "checks it again: " + e.getMessage();
            default -> e.getMessage();
        };
        return item(resource, "EVALUATE", outcomeOf(e.kind()), reason, details);
    }

    private static Outcome outcomeOf(AwsFailure.Kind kind) {
        return switch (kind) {
            case NOT_FOUND, PRECONDITION_FAILED, UNSUPPORTED -> Outcome.SKIPPED;
            case RETRYABLE -> Outcome.RETRYABLE_FAILURE;
            case ACCESS_DENIED, INVALID -> Outcome.FAILED;
        };
    }

    private static ItemResult item(String resource, String action, Outcome outcome, String reason,
                                   Map<String, Object> details) {
        ItemResult result = new ItemResult(resource, action, outcome, reason, details);
        LOG.info("{} {} {}: {}", outcome, action, resource, reason);
        return result;
    }

    private void recordMetrics(RunSummary summary) {
        int remediated = 0, nonCompliant = 0, compliant = 0, notApplicable = 0, exempt = 0, reported = 0, failed = 0;
        for (ItemResult item : summary.getItems()) {
            switch (item.outcome()) {
                case CHANGED -> {
                    if (config.dryRun()) {
                        nonCompliant++;
                    } else {
                        remediated++;
                    }
                }
                case COMPLIANT -> compliant++;
                case REPORTED -> reported++;
                case SKIPPED -> {
                    if (Action.EXEMPT.name().equals(item.action())) {
                        exempt++;
                    } else if (Action.NOT_APPLICABLE.name().equals(item.action())) {
                        notApplicable++;
                    }
                }
                case FAILED, RETRYABLE_FAILURE, CRITICAL -> failed++;
            }
        }
        Metrics metrics = Invocation.metrics();
        metrics.addMetric("KeysRemediated", remediated, MetricUnit.COUNT);
        metrics.addMetric("KeysNonCompliantDryRun", nonCompliant, MetricUnit.COUNT);
        metrics.addMetric("KeysCompliant", compliant, MetricUnit.COUNT);
        metrics.addMetric("KeysNotApplicable", notApplicable, MetricUnit.COUNT);
        metrics.addMetric("KeysExempt", exempt, MetricUnit.COUNT);
        metrics.addMetric("KeysNotInService", reported, MetricUnit.COUNT);
        metrics.addMetric("KeysFailed", failed, MetricUnit.COUNT);
    }
}
