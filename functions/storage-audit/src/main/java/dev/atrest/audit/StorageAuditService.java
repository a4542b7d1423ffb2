package dev.atrest.audit;

import dev.atrest.audit.aws.AccountIdentity;
import dev.atrest.audit.aws.AuditGateways;
import dev.atrest.audit.aws.SecurityHubGateway;
import dev.atrest.audit.check.AuditCheck;
import dev.atrest.audit.check.AuditRun;
import dev.atrest.audit.check.CheckReach;
import dev.atrest.audit.check.CheckRegistry;
import dev.atrest.audit.check.FactKind;
import dev.atrest.audit.check.KeyDirectory;
import dev.atrest.audit.check.RunContext;
import dev.atrest.audit.check.RunFacts;
import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.aws.Priming;
import dev.atrest.core.config.RegionSelection;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.FindingReconciliation;
import dev.atrest.core.findings.FindingScope;
import dev.atrest.core.findings.FindingSink;
import dev.atrest.core.findings.FindingsReport;
import dev.atrest.core.findings.ScopeFailure;
import dev.atrest.core.lambda.FunctionArn;
import dev.atrest.core.summary.ItemResult.Outcome;
import dev.atrest.core.summary.ItemResult;
import dev.atrest.core.summary.RunSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One audit run: every registered check in every region (regions and checks concurrently, one paginated listing per
 * region and check), account-wide checks (S3 buckets) once, reconciliation with the findings still open from earlier
 * runs, then every sink. The service knows no resource type: it schedules what {@link CheckRegistry} lists, phase
 * after phase, and scopes each failure to the (region, check) it happened in.
 * A check that fails in a region is reported and does not stop the others.
 */
public final class StorageAuditService {
    static final String SOURCE = "storage-audit";
    private static final Logger LOG = LoggerFactory.getLogger(StorageAuditService.class);
    /**
     * Listings running at once (each a region and check): enough to hide latency, few enough to stay well inside
     * EC2's per-account request rate for Describe calls.
     */
    static final int AUDIT_CONCURRENCY = 8;
    /** Resources of an account-wide check described at once (GetBucketEncryption per bucket). */
    static final int ITEM_CONCURRENCY = 8;

    private final AuditConfig config;
    private final String homeRegion;
    private final AuditGateways aws;
    private final CheckRegistry checks;
    private final Optional<SecurityHubGateway> hub;
    private final List<FindingSink> sinks;

    public StorageAuditService(AuditConfig config, String homeRegion, AuditGateways aws, CheckRegistry checks,
            Optional<SecurityHubGateway> hub, List<FindingSink> sinks) {
        this.config = config;
        this.homeRegion = homeRegion;
        this.aws = aws;
        this.checks = checks;
        this.hub = hub;
        this.sinks = List.copyOf(sinks);
    }

    /** What the run's checks produced. */
    private record RunResult(List<Finding> findings, Set<FindingScope> completed, List<ScopeFailure> failures,
            List<ItemResult> actions) {
        RunResult() {
            this(Collections.synchronizedList(new ArrayList<>()), ConcurrentHashMap.newKeySet(),
                    Collections.synchronizedList(new ArrayList<>()), Collections.synchronizedList(new ArrayList<>()));
        }
    }

    /**
     * @param invokedFunctionArn the invoked function's ARN (from the Lambda context), null when unknown. Its account
     *     is the audited account (a function's execution role is in the function's account, so its credentials
     *     reach no other) and an event for another account or region is skipped before any AWS call; without it,
     *     STS GetCallerIdentity (a read) tells the account, before anything else. Its partition is the partition of
     *     every audited region and bucket, for the same reason; without it, the SDK's region metadata tells.
     */
    public RunSummary run(AuditTrigger trigger, String invokedFunctionArn) {
        String invokedAccount = FunctionArn.account(invokedFunctionArn);
        RunSummary summary = new RunSummary("StorageAuditFunction", trigger.source(), config.dryRun());
        Optional<String> foreign = trigger.outOfScope(invokedAccount, homeRegion);
        if (foreign.isPresent()) {
            return skip(summary, foreign.get());
        }
        Instant now = Instant.now();
        String account;
        String partition;
        List<String> regions;
        try {
            // The ARN's account spares a cold start the STS client and a round trip.
            account = invokedAccount != null ? invokedAccount : aws.identity().accountId();
            // Likewise the ARN's partition spares it loading the SDK's metadata of every region and service.
            String invokedPartition = FunctionArn.partition(invokedFunctionArn);
            partition = invokedPartition != null ? invokedPartition : AccountIdentity.partition(homeRegion);
            if (invokedAccount == null) {
                foreign = trigger.outOfScope(account, homeRegion);
                if (foreign.isPresent()) {
                    return skip(summary, foreign.get());
                }
            }
            if (trigger.change()) {
                return runChange(trigger, summary, account, partition, now);
            }
            regions = RegionSelection.resolve(config.regions(), config.allRegions(), homeRegion,
                    aws.ec2()::enabledRegions);
        } catch (AwsFailure f) {
            summary.add(ItemResult.of("account", "AUDIT", outcome(f), f.getMessage()));
            return summary.error("cannot start the audit: " + f.getMessage()).finish();
        }
        AuditRun run = newRun(account, partition, now);
        RunResult all = new RunResult();
        long regionChecks = checks.checks().stream().filter(c -> c.reach() == CheckReach.REGION).count();
        // Every (region, check) pair is its own task: one slow listing does not hold up the others.
        ExecutorService pool = Executors.newFixedThreadPool(
                (int) Math.max(1, Math.min(AUDIT_CONCURRENCY, regions.size() * regionChecks)));
        try {
            for (List<AuditCheck<?, ?>> phase : checks.phases()) {
                List<Future<?>> futures = new ArrayList<>();
                for (String region : regions) {
                    for (AuditCheck<?, ?> check : phase) {
                        if (check.reach() == CheckReach.REGION) {
                            futures.add(pool.submit(() -> auditRegion(check, region, run, all)));
                        }
                    }
                }
                for (AuditCheck<?, ?> check : phase) {
                    if (check.reach() == CheckReach.ACCOUNT) {
                        auditAccount(check, regions, run, all);
                    }
                }
                // A phase ends before the next starts: its facts are complete when their consumers read them.
                for (Future<?> f : futures) {
                    await(f);
                }
            }
        } finally {
            pool.shutdownNow();
        }

        return publish(summary, all, reconcile(regions, account, partition, all, now), now, Map.of());
    }

    /** The report of what the run found, reconciled with what was open, recorded and given to every sink. */
    private RunSummary publish(RunSummary summary, RunResult all, Reconciled reconciled, Instant now,
            Map<String, Object> about) {
        FindingsReport report = new FindingsReport(SOURCE, now, config.dryRun(), all.findings(), reconciled.result.resolved(),
                reconciled.result.newFindingIds(), reconciled.historyKnown, all.completed(), all.failures());

        record(summary, report, about);
        all.actions().forEach(summary::add);
        for (FindingSink sink : sinks) {
            try {
                sink.publish(report).forEach(summary::add);
            } catch (RuntimeException e) {
                LOG.error("sink {} failed", sink.name(), e);
                // Core's sinks throw the SDK's exception as is: a throttled or 5xx publish is reported as retryable.
                Outcome failed = e instanceof SdkException sdk ? outcome(AwsFailure.map(sink.name(), sdk)) : Outcome.FAILED;
                summary.add(ItemResult.of(sink.name(), "PUBLISH", failed, String.valueOf(e.getMessage())));
                summary.error("sink " + sink.name() + " failed: " + e.getMessage());
            }
        }
        return summary.finish();
    }

    /**
     * An event about one resource: the checks it names, asked about that resource alone (read, remediated where
     * configured, judged) with the finding ids a scheduled audit gives, and the resource's open findings reconciled
     * (resolved when it now passes or is gone). A check that reads what other checks found (a key's dependents)
     * first has its producers read the region, as a scheduled audit would, without judging or changing anything.
     */
    private RunSummary runChange(AuditTrigger trigger, RunSummary summary, String account, String partition,
            Instant now) {
        AuditTarget target = trigger.target();
        if (target == null) {
            return skip(summary, "the event names nothing to audit (a failed call or creation)");
        }
        String region = trigger.region() != null ? trigger.region() : homeRegion;
        if (!config.allRegions() && !config.regions().isEmpty() && !config.regions().contains(region)) {
            return skip(summary, "event in " + region + ", which the audit does not cover (REGIONS)");
        }
        AuditRun run = newRun(account, partition, now);
        RunResult all = new RunResult();
        String resourceId = target.resourceId(partition, region, account);
        Set<String> ids = new HashSet<>();
        Set<FactKind<?>> shared = new HashSet<>();
        for (String checkId : target.checkIds()) {
            AuditCheck<?, ?> check = checks.byId(checkId).orElse(null);
            if (check == null) {
                continue;
            }
            ids.add(Finding.stableId(checkId, region, resourceId));
            if (!shared.containsAll(check.consumes())) {
                checks.shareFacts(check, region, run);
                shared.addAll(check.consumes());
            }
            try {
                judgeOne(check, region, resourceId, run, all).ifPresent(f -> {
                    ids.add(f.id());
                    all.findings().add(f);
                });
                all.completed().add(new FindingScope(region, check.id()));
            } catch (AwsFailure f) {
                failScope(all, run, region, check, f);
            } catch (RuntimeException e) {
                LOG.error("{} on {} failed unexpectedly", check.id(), resourceId, e);
                failScope(all, run, region, check, "FAILED", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        return publish(summary, all, reconcileOne(region, account, partition, ids, all, now), now,
                Map.of("resource", resourceId, "cause", target.cause()));
    }

    /** One resource: read, remediated where configured, facts shared, judged; empty when it does not exist. */
    private static <R, S> Optional<Finding> judgeOne(AuditCheck<R, S> check, String region, String resourceId,
            AuditRun run, RunResult out) {
        return check.find(run, region, resourceId).map(r -> judge(check, r, run, out));
    }

    private Reconciled reconcileOne(String region, String account, String partition, Set<String> ids, RunResult all,
            Instant now) {
        if (hub.isEmpty()) {
            return new Reconciled(new FindingReconciliation.Result(Set.of(), List.of()), false);
        }
        try {
            List<Finding> open = hub.get().openFindings(region, partition, account, ids);
            return new Reconciled(FindingReconciliation.reconcile(open, all.findings(), all.completed(), now), true);
        } catch (AwsFailure f) {
            all.failures().add(new ScopeFailure(new FindingScope(region, "securityhub-history"), f.kind().name(),
                    f.getMessage()));
            return new Reconciled(FindingReconciliation.reconcile(List.of(), all.findings(), Set.of(), now), false);
        }
    }

    private AuditRun newRun(String account, String partition, Instant now) {
        return new AuditRun(new RunContext(account, partition, now, config), new KeyDirectory(aws.kms()),
                new RunFacts(checks.consumed()));
    }

    /**
     * Before a SnapStart snapshot: the first read of every region check in the home region, built and signed but
     * never sent (reads only, so even a priming that failed to stop could change nothing).
     */
    void prime() {
        AuditRun run = newRun("111122223333", AccountIdentity.partition(homeRegion), Instant.now());
        Priming.offline(checks.checks().stream().filter(c -> c.reach() == CheckReach.REGION)
                .map(c -> (Runnable) () -> primeOne(c, run)).toArray(Runnable[]::new));
        // The answers those requests never got: the audit parses several services' responses on its first run.
        Priming.responseParsing(software.amazon.awssdk.services.ec2.Ec2Client.class,
                software.amazon.awssdk.services.efs.EfsClient.class, software.amazon.awssdk.services.fsx.FSxClient.class,
                software.amazon.awssdk.services.s3.S3Client.class, software.amazon.awssdk.services.kms.KmsClient.class);
    }

    private <R, S> void primeOne(AuditCheck<R, S> check, AuditRun run) {
        check.list(run, List.of(homeRegion), r -> check.describe(run, r));
    }

    /** An event that is not acted on at all: one skipped item with the reason, nothing audited, nothing written. */
    private static RunSummary skip(RunSummary summary, String reason) {
        LOG.warn("event not acted on: {}", reason);
        return summary.add(ItemResult.of("(audit)", "IGNORE_EVENT", Outcome.SKIPPED, reason)).finish();
    }

    /** A region check's scope: its listing in one region, every resource judged as it is listed. */
    private <R, S> void auditRegion(AuditCheck<R, S> check, String region, AuditRun run, RunResult out) {
        try {
            check.list(run, List.of(region), r -> out.findings().add(judge(check, r, run, out)));
            out.completed().add(new FindingScope(region, check.id()));
        } catch (AwsFailure f) {
            failScope(out, run, region, check, f);
        } catch (RuntimeException e) {
            // An unexpected answer (or a bug) in one scope must not cost the report of all the others.
            LOG.error("{} in {} failed unexpectedly", check.id(), region, e);
            failScope(out, run, region, check, "FAILED", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Describe, remediate where configured, share facts, judge. */
    private static <R, S> Finding judge(AuditCheck<R, S> check, R resource, AuditRun run, RunResult out) {
        S state = check.describe(run, resource);
        state = check.remediate(run, state, out.actions()::add);
        check.share(state, run.facts());
        return check.evaluate(state, run.context());
    }

    /**
     * An account check is listed once; resources outside the audited regions are out of scope. A failed listing fails
     * the check in every region; one resource that could not be described fails its region's scope, so none of that
     * region's findings of the check is resolved.
     */
    private <R, S> void auditAccount(AuditCheck<R, S> check, List<String> regions, AuditRun run, RunResult out) {
        Set<String> audited = Set.copyOf(regions);
        List<R> resources = new ArrayList<>();
        try {
            check.list(run, regions, r -> {
                if (audited.contains(check.region(r))) {
                    resources.add(r);
                }
            });
        } catch (AwsFailure f) {
            regions.forEach(region -> failScope(out, run, region, check, f));
            return;
        } catch (RuntimeException e) {
            LOG.error("{} could not be listed", check.id(), e);
            regions.forEach(region -> failScope(out, run, region, check, "FAILED",
                    e.getClass().getSimpleName() + ": " + e.getMessage()));
            return;
        }
        Map<String, AwsFailure> failed = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(ITEM_CONCURRENCY);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (R r : resources) {
                futures.add(pool.submit(() -> {
                    try {
                        out.findings().add(judge(check, r, run, out));
                    } catch (AwsFailure f) {
                        failed.putIfAbsent(check.region(r), f);
                    } catch (RuntimeException e) {
                        LOG.error("{} could not audit {}", check.id(), r, e);
                        failed.putIfAbsent(check.region(r), new AwsFailure(AwsFailure.Kind.UNSUPPORTED,
                                check.id() + " " + r, null, e.toString(), e));
                    }
                }));
            }
            futures.forEach(StorageAuditService::await);
        } finally {
            pool.shutdownNow();
        }
        for (String region : regions) {
            if (failed.containsKey(region)) {
                failScope(out, run, region, check, failed.get(region));
            } else {
                out.completed().add(new FindingScope(region, check.id()));
            }
        }
    }

    private record Reconciled(FindingReconciliation.Result result, boolean historyKnown) {}

    private Reconciled reconcile(List<String> regions, String account, String partition, RunResult all,
            Instant now) {
        if (hub.isEmpty()) {
            return new Reconciled(new FindingReconciliation.Result(Set.of(), List.of()), false);
        }
        List<Finding> open = new ArrayList<>();
        Set<FindingScope> reconcilable = new HashSet<>(all.completed());
        boolean known = true;
        for (String region : regions) {
            try {
                open.addAll(hub.get().openFindings(region, partition, account));
            } catch (AwsFailure f) {
                known = false;
                reconcilable.removeIf(s -> s.region().equals(region));
                all.failures().add(new ScopeFailure(new FindingScope(region, "securityhub-history"), f.kind().name(),
                        f.getMessage()));
            }
        }
        return new Reconciled(FindingReconciliation.reconcile(open, all.findings(), reconcilable, now), known);
    }

    /** @param about what every scope item of the run carries besides its counts (an event's resource and cause) */
    private void record(RunSummary summary, FindingsReport report, Map<String, Object> about) {
        Map<String, String> controls = report.controlIds();
        report.countsByScope().forEach((scope, c) -> {
            Map<String, Object> details = new LinkedHashMap<>(about);
            details.put("region", scope.region());
            details.put("check", scope.checkId());
            if (controls.containsKey(scope.checkId())) {
                details.put("control", controls.get(scope.checkId()));
            }
            details.put("nonCompliant", c.failed());
            details.put("compliant", c.passed());
            if (report.historyKnown()) {
                details.put("new", c.newlyFailed());
                details.put("resolved", c.resolved());
            }
            List<String> sample = report.failed().stream().filter(f -> f.scope().equals(scope)).limit(20)
                    .map(Finding::resourceId).toList();
            if (!sample.isEmpty()) {
                details.put("sample", sample);
            }
            summary.add(new ItemResult(scope.region() + "/" + scope.checkId(), "AUDIT",
                    c.failed() > 0 ? Outcome.REPORTED : Outcome.COMPLIANT,
                    c.failed() + " non-compliant, " + c.passed() + " compliant", details));
        });
        for (ScopeFailure f : report.failures()) {
            summary.add(ItemResult.of(f.scope().region() + "/" + f.scope().checkId(), "AUDIT",
                    "RETRYABLE".equals(f.outcome()) ? Outcome.RETRYABLE_FAILURE : Outcome.FAILED, f.message()));
            summary.error(f.scope().region() + "/" + f.scope().checkId() + ": " + f.message());
        }
    }

    private static void failScope(RunResult out, AuditRun run, String region, AuditCheck<?, ?> check, AwsFailure f) {
        LOG.warn("{} in {} failed: {}", check.id(), region, f.getMessage());
        failScope(out, run, region, check, f.kind().name(), f.getMessage());
    }

    /**
     * Findings gathered before the failure are kept: they are true, only the scope is incomplete. So are the facts
     * the check gave, which its consumers must not read as the region's whole truth.
     */
    private static void failScope(RunResult out, AuditRun run, String region, AuditCheck<?, ?> check, String outcome,
            String message) {
        out.failures().add(new ScopeFailure(new FindingScope(region, check.id()), outcome, message));
        for (FactKind<?> kind : check.produces()) {
            run.facts().incomplete(kind, region, AwsFailure.Kind.RETRYABLE.name().equals(outcome));
        }
    }

    private static Outcome outcome(AwsFailure f) {
        return f.kind() == AwsFailure.Kind.RETRYABLE ? Outcome.RETRYABLE_FAILURE : Outcome.FAILED;
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
