package dev.atrest.audit;

import dev.atrest.audit.aws.AccountIdentity;
import dev.atrest.audit.aws.Ec2Gateway;
import dev.atrest.audit.aws.EfsGateway;
import dev.atrest.audit.aws.KmsGateway;
import dev.atrest.audit.aws.S3Gateway;
import dev.atrest.audit.aws.SecurityHubGateway;
import dev.atrest.audit.check.BucketState;
import dev.atrest.audit.check.EbsDefaultsState;
import dev.atrest.audit.check.EbsRemediation;
import dev.atrest.audit.check.EncryptionChecks;
import dev.atrest.audit.check.FileSystemState;
import dev.atrest.audit.check.KeyManager;
import dev.atrest.audit.check.StorageCheck;
import dev.atrest.core.aws.AwsFailure;
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
 * One audit run: every check in every region (regions and resource types concurrently, one paginated Describe pass
 * per resource type), S3 bucket defaults once, reconciliation with the findings still open from earlier runs, then
 * every sink.
 * A check that fails in a region is reported and does not stop the others.
 */
public final class StorageAuditService {
    static final String SOURCE = "storage-audit";
    private static final Logger LOG = LoggerFactory.getLogger(StorageAuditService.class);
    /**
     * Describe passes running at once (each a region and resource type): enough to hide latency, few enough to stay
     * well inside EC2's per-account request rate for Describe calls.
     */
    static final int AUDIT_CONCURRENCY = 8;
    static final int BUCKET_CONCURRENCY = 8;

    private final AuditConfig config;
    private final String homeRegion;
    private final AccountIdentity identity;
    private final Ec2Gateway ec2;
    private final EfsGateway efs;
    private final S3Gateway s3;
    private final KmsGateway kms;
    private final Optional<SecurityHubGateway> hub;
    private final List<FindingSink> sinks;

    public StorageAuditService(AuditConfig config, String homeRegion, AccountIdentity identity, Ec2Gateway ec2,
            EfsGateway efs, S3Gateway s3, KmsGateway kms, Optional<SecurityHubGateway> hub, List<FindingSink> sinks) {
        this.config = config;
        this.homeRegion = homeRegion;
        this.identity = identity;
        this.ec2 = ec2;
        this.efs = efs;
        this.s3 = s3;
        this.kms = kms;
        this.hub = hub;
        this.sinks = List.copyOf(sinks);
    }

    /** What one region's audit produced. */
    private record RegionResult(List<Finding> findings, Set<FindingScope> completed, List<ScopeFailure> failures,
            List<ItemResult> actions) {
        RegionResult() {
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
            account = invokedAccount != null ? invokedAccount : identity.accountId();
            // Likewise the ARN's partition spares it loading the SDK's metadata of every region and service.
            String invokedPartition = FunctionArn.partition(invokedFunctionArn);
            partition = invokedPartition != null ? invokedPartition : AccountIdentity.partition(homeRegion);
            if (invokedAccount == null) {
                foreign = trigger.outOfScope(account, homeRegion);
                if (foreign.isPresent()) {
                    return skip(summary, foreign.get());
                }
            }
            regions = RegionSelection.resolve(config.regions(), config.allRegions(), homeRegion, ec2::enabledRegions);
        } catch (AwsFailure f) {
            summary.add(ItemResult.of("account", "AUDIT", outcome(f), f.getMessage()));
            return summary.error("cannot start the audit: " + f.getMessage()).finish();
        }
        RegionResult all = new RegionResult();
        // Every (region, resource type) pair is its own task: one slow Describe pass does not hold up the others.
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(AUDIT_CONCURRENCY, regions.size() * 4)));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (String region : regions) {
                futures.addAll(auditRegion(pool, region, account, partition, now, all));
            }
            auditBuckets(Set.copyOf(regions), account, partition, now, all);
            for (Future<?> f : futures) {
                await(f);
            }
        } finally {
            pool.shutdownNow();
        }

        Reconciled reconciled = reconcile(regions, account, partition, all, now);
        FindingsReport report = new FindingsReport(SOURCE, now, config.dryRun(), all.findings(), reconciled.result.resolved(),
                reconciled.result.newFindingIds(), reconciled.historyKnown, all.completed(), all.failures());

        record(summary, report);
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

    /** An event that is not acted on at all: one skipped item with the reason, nothing audited, nothing written. */
    private static RunSummary skip(RunSummary summary, String reason) {
        LOG.warn("event not acted on: {}", reason);
        return summary.add(ItemResult.of("(audit)", "IGNORE_EVENT", Outcome.SKIPPED, reason)).finish();
    }

    private List<Future<?>> auditRegion(ExecutorService pool, String region, String account, String partition,
            Instant now, RegionResult out) {
        Map<String, KeyManager> keys = new ConcurrentHashMap<>();
        return List.of(
                pool.submit(() -> scope(out, region, StorageCheck.EBS_VOLUME, () -> ec2.volumes(region, account, partition,
                        v -> out.findings().add(EncryptionChecks.volume(v, account, now))))),
                pool.submit(() -> scope(out, region, StorageCheck.EBS_SNAPSHOT, () -> ec2.snapshots(region, partition,
                        s -> out.findings().add(EncryptionChecks.snapshot(s, account, now))))),
                pool.submit(() -> scope(out, region, StorageCheck.EBS_DEFAULT_ENCRYPTION, () -> {
                    EbsDefaultsState state = ebsDefaults(region, account, keys);
                    EbsRemediation.Decision decision = EbsRemediation.decide(state,
                            config.enableEbsDefaultEncryption(), config.ebsDefaultKmsKeyArn());
                    if (decision.action() != EbsRemediation.Action.NONE) {
                        state = remediate(region, account, keys, state, decision, out);
                    }
                    out.findings().add(EncryptionChecks.ebsDefaults(state, config.requireCustomerManagedKey(), account,
                            now));
                })),
                pool.submit(() -> scope(out, region, StorageCheck.EFS_FILE_SYSTEM, () -> efs.fileSystems(region, fs -> {
                    KeyManager manager = !fs.encrypted() ? null
                            : fs.kmsKeyId() == null ? KeyManager.AWS // EFS reports no key only for its AWS managed default
                            : keyManager(region, fs.kmsKeyId(), keys);
                    out.findings().add(EncryptionChecks.fileSystem(new FileSystemState(fs.id(), fs.arn(), region,
                            fs.encrypted(), fs.kmsKeyId(), manager, fs.tags()), config.requireCustomerManagedKey(),
                            account, now));
                }))));
    }

    private EbsDefaultsState ebsDefaults(String region, String account, Map<String, KeyManager> keys) {
        boolean on = ec2.encryptionByDefault(region);
        String key = ec2.defaultKmsKeyId(region);
        KeyManager manager = on && config.requireCustomerManagedKey() ? keyManager(region, key, keys) : null;
        return new EbsDefaultsState(region, "AWS::::Account:" + account, on, key, manager);
    }

    private EbsDefaultsState remediate(String region, String account, Map<String, KeyManager> keys,
            EbsDefaultsState before, EbsRemediation.Decision decision, RegionResult out) {
        String resource = "ebs-default-encryption/" + region;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("action", decision.action().name());
        if (decision.keyArn() != null) {
            details.put("kmsKeyId", decision.keyArn());
        }
        if (config.dryRun()) {
            out.actions().add(new ItemResult(resource, "ENABLE_EBS_DEFAULT_ENCRYPTION", Outcome.CHANGED,
                    "dry run: would " + decision.reason(), details));
            return before;
        }
        try {
            if (decision.keyArn() != null) {
                ec2.setDefaultKmsKey(region, decision.keyArn());
                details.put("defaultKeySet", true);
            }
            ec2.enableEncryptionByDefault(region);
        } catch (AwsFailure f) {
            out.actions().add(new ItemResult(resource, "ENABLE_EBS_DEFAULT_ENCRYPTION", outcome(f), f.getMessage(), details));
            // A key set before enabling failed is visible in the next audit; this one reports the state it read.
            return before;
        }
        // Verify by reading back: the finding reports the state after the change, not the intent.
        EbsDefaultsState after;
        try {
            after = ebsDefaults(region, account, keys);
        } catch (AwsFailure f) {
            // The change was made: it must be in the summary even though it could not be verified. The scope then
            // fails, so the region's earlier finding is not resolved on an unverified change.
            details.put("verified", false);
            out.actions().add(new ItemResult(resource, "ENABLE_EBS_DEFAULT_ENCRYPTION", outcome(f),
                    "changed (" + decision.reason() + "), but reading it back failed: " + f.getMessage(), details));
            throw f;
        }
        boolean verified = after.encryptionByDefault()
                && (decision.keyArn() == null || decision.keyArn().equals(after.defaultKeyId()));
        details.put("verified", verified);
        out.actions().add(new ItemResult(resource, "ENABLE_EBS_DEFAULT_ENCRYPTION",
                verified ? Outcome.CHANGED : Outcome.CRITICAL,
                verified ? decision.reason() : "changed, but reading back shows " + after, details));
        return after;
    }

    private KeyManager keyManager(String region, String keyId, Map<String, KeyManager> cache) {
        KeyManager known = KeyManager.fromReference(keyId);
        if (known != KeyManager.UNKNOWN) {
            return known;
        }
        return cache.computeIfAbsent(keyId, k -> {
            try {
                return kms.keyManager(region, k);
            } catch (AwsFailure f) {
                if (f.kind() == AwsFailure.Kind.RETRYABLE) {
                    // A moment's failure says nothing about the key: the scope fails instead of reporting (and
                    // tagging) a compliant resource as unverifiable. Not cached, so the next resource tries again.
                    throw f;
                }
                LOG.warn("cannot tell who manages key {}: {}", k, f.getMessage());
                return KeyManager.UNKNOWN;
            }
        });
    }

    /** S3 is listed once for the account; buckets outside the audited regions are out of scope. */
    private void auditBuckets(Set<String> regions, String account, String partition, Instant now, RegionResult out) {
        List<S3Gateway.Bucket> buckets;
        try {
            buckets = s3.buckets().stream().filter(b -> regions.contains(b.region())).toList();
        } catch (AwsFailure f) {
            for (String region : regions) {
                failScope(out, region, StorageCheck.S3_BUCKET_DEFAULT, f);
            }
            return;
        }
        Map<String, AwsFailure> failed = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(BUCKET_CONCURRENCY);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (S3Gateway.Bucket b : buckets) {
                futures.add(pool.submit(() -> {
                    try {
                        S3Gateway.DefaultEncryption enc = s3.defaultEncryption(b.name());
                        out.findings().add(EncryptionChecks.bucket(new BucketState(b.name(),
                                "arn:" + partition + ":s3:::" + b.name(), b.region(),
                                enc.sseAlgorithm(), enc.kmsKeyId()), account, now));
                    } catch (AwsFailure f) {
                        failed.putIfAbsent(b.region(), f);
                    } catch (RuntimeException e) {
                        LOG.error("bucket {} could not be audited", b.name(), e);
                        failed.putIfAbsent(b.region(), new AwsFailure(AwsFailure.Kind.UNSUPPORTED,
                                "GetBucketEncryption " + b.name(), null, e.toString(), e));
                    }
                }));
            }
            futures.forEach(StorageAuditService::await);
        } finally {
            pool.shutdownNow();
        }
        for (String region : regions) {
            // One unreadable bucket leaves the region's S3 scope incomplete, so none of its findings is resolved.
            if (failed.containsKey(region)) {
                failScope(out, region, StorageCheck.S3_BUCKET_DEFAULT, failed.get(region));
            } else {
                out.completed().add(new FindingScope(region, StorageCheck.S3_BUCKET_DEFAULT.id));
            }
        }
    }

    private record Reconciled(FindingReconciliation.Result result, boolean historyKnown) {}

    private Reconciled reconcile(List<String> regions, String account, String partition, RegionResult all,
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

    private void record(RunSummary summary, FindingsReport report) {
        Map<String, String> controls = report.controlIds();
        report.countsByScope().forEach((scope, c) -> {
            Map<String, Object> details = new LinkedHashMap<>();
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

    private void scope(RegionResult out, String region, StorageCheck check, Runnable body) {
        try {
            body.run();
            out.completed().add(new FindingScope(region, check.id));
        } catch (AwsFailure f) {
            failScope(out, region, check, f);
        } catch (RuntimeException e) {
            // An unexpected answer (or a bug) in one scope must not cost the report of all the others.
            LOG.error("{} in {} failed unexpectedly", check.id, region, e);
            out.failures().add(new ScopeFailure(new FindingScope(region, check.id), "FAILED",
                    e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private static void failScope(RegionResult out, String region, StorageCheck check, AwsFailure f) {
        LOG.warn("{} in {} failed: {}", check.id, region, f.getMessage());
        out.failures().add(new ScopeFailure(new FindingScope(region, check.id), f.kind().name(), f.getMessage()));
        // Findings gathered before the failure are kept: they are true, only the scope is incomplete.
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
