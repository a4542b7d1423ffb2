package dev.atrest.backfill;

import static dev.atrest.core.json.UntrustedText.abbreviate;

import dev.atrest.core.aws.Arns;
import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.summary.ItemResult;
import dev.atrest.core.summary.ItemResult.Outcome;
import dev.atrest.core.summary.RunSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans, watches and reports the S3 Batch Operations jobs that converge the watched buckets; S3 does the work.
 *
 * <p>A start creates, per bucket with no atrest job running, one job per encryption filter: SSE-S3 objects go through
 * S3's own UpdateObjectEncryption, unencrypted ones through the S3 function (LambdaInvoke). In a dry run both wait for
 * a confirmation atrest never gives. A job status change (or a manual look) reports a dry run's count, a running
 * job's progress, or a finished job's result: its completion report's failures grouped by reason, the retryable ones
 * sent once through the S3 function.
 */
public final class BackfillService {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillService.class);
    public static final String FUNCTION = "S3BackfillFunction";
    static final int PRIORITY = 10;
    /** The status update reason of an empty dry-run job atrest cancels (1 to 256 characters). */
    static final String EMPTY_JOB_CANCELLED = "atrest: the filter found no objects, nothing to confirm";

    public static final String START_JOB = "START_JOB";
    public static final String ALREADY_ACTIVE = "ALREADY_ACTIVE";
    public static final String NOT_CONFIGURED = "NOT_CONFIGURED";
    public static final String OTHER_REGION = "OTHER_REGION";
    public static final String IGNORE_EVENT = "IGNORE_EVENT";
    public static final String JOB_PROGRESS = "JOB_PROGRESS";
    public static final String DRY_RUN_COUNT = "DRY_RUN_COUNT";
    public static final String CONVERGED = "CONVERGED";
    public static final String JOB_FINISHED = "JOB_FINISHED";
    public static final String FAILED_TASKS = "FAILED_TASKS";
    public static final String RETRY_JOB = "RETRY_JOB";
    public static final String REPORT_UNUSABLE = "REPORT_UNUSABLE";
    public static final String OPTED_OUT = "OPTED_OUT";
    public static final String ENABLE_EVENTBRIDGE = "ENABLE_EVENTBRIDGE";

    private final BackfillConfig config;
    private final String homeRegion;
    private final Function<String, S3ControlGateway> controls;
    private final S3Gateway s3;
    private final BackfillMetrics metrics;
    private final BackfillNotice notice;

    /**
     * @param controls the S3 Control gateway of a region
     * @param notice the SNS summary, or null without a topic
     */
    public BackfillService(BackfillConfig config, String homeRegion, Function<String, S3ControlGateway> controls,
            S3Gateway s3, BackfillMetrics metrics, BackfillNotice notice) {
        this.config = config;
        this.homeRegion = homeRegion;
        this.controls = controls;
        this.s3 = s3;
        this.metrics = metrics;
        this.notice = notice;
    }

    public BackfillConfig config() {
        return config;
    }

    public String homeRegion() {
        return homeRegion;
    }

    public RunSummary run(BackfillTrigger trigger, Caller caller) {
        RunSummary summary = new RunSummary(FUNCTION, trigger.label(), config.dryRun());
        switch (trigger.kind()) {
            case START -> start(trigger, caller, summary);
            case WATCH -> new LinkedHashSet<>(trigger.jobIds()).forEach(id -> look(id, null, caller, summary));
            case JOB_EVENT -> event(trigger.event(), caller, summary);
            default -> throw new IllegalStateException("unknown trigger " + trigger.kind());
        }
        summary.finish();
        tell(summary);
        return summary;
    }

    // ------------------------------------------------------------------ start

    private void start(BackfillTrigger trigger, Caller caller, RunSummary summary) {
        JobSettings settings = settings(caller);
        String startId = trigger.startId() != null ? trigger.startId() : caller.requestId();
        List<String> inScope;
        try {
            inScope = inScope(summary);
        } catch (AwsFailure f) {
            summary.add(failure("s3://*", START_JOB, f, Map.of("scope", config.scope().mode().value())));
            return;
        }
        Set<String> configured = Set.copyOf(inScope);
        List<String> requested = trigger.buckets() == null ? inScope
                : List.copyOf(new LinkedHashSet<>(trigger.buckets()));
        Map<String, List<StartPlan.ActiveJob>> active = null;
        for (String bucket : requested) {
            if (!configured.contains(bucket) && config.scope().needsFacts() && trigger.buckets() != null) {
                // all-but-opted-out and named by the caller: in scope unless tagged (its Region is checked below).
                try {
                    if (optedOut(bucket, summary)) {
                        continue;
                    }
                } catch (AwsFailure f) {
                    summary.add(failure("s3://" + bucket, START_JOB, f, Map.of("bucket", bucket)));
                    continue;
                }
                configured = new LinkedHashSet<>(configured);
                configured.add(bucket);
            }
            if (!configured.contains(bucket)) {
                StartPlan.Decision d = StartPlan.decide(bucket, configured, null, homeRegion, List.of());
                summary.add(item("s3://" + abbreviate(bucket), NOT_CONFIGURED, Outcome.SKIPPED, d.reason(),
                        Map.of("bucket", abbreviate(bucket))));
                continue;
            }
            String region;
            try {
                region = s3.region(bucket, settings.account());
                if (active == null) {
                    active = unfinishedJobs(settings.account());
                }
            } catch (AwsFailure f) {
                summary.add(failure("s3://" + bucket, START_JOB, f, Map.of("bucket", bucket)));
                continue;
            }
            StartPlan.Decision d = StartPlan.decide(bucket, configured, region, homeRegion,
                    active.getOrDefault(bucket, List.of()));
            switch (d.step()) {
                case OTHER_REGION -> summary.add(item("s3://" + bucket, OTHER_REGION, Outcome.SKIPPED, d.reason(),
                        Map.of("bucket", bucket, "region", region)));
                case ALREADY_ACTIVE -> summary.add(item("s3://" + bucket, ALREADY_ACTIVE, Outcome.SKIPPED, d.reason(),
                        Map.of("bucket", bucket, "jobs", d.active().stream().map(a -> Map.of(
                                "jobId", a.job().jobId(), "kind", a.job().kind().tag(), "status", a.listed().status(),
                                "dryRun", a.job().dryRun())).toList())));
                case START -> {
                    create(JobKind.SSE_S3, bucket, settings, startId, summary);
                    create(JobKind.NOT_SSE, bucket, settings, startId, summary);
                }
                default -> throw new IllegalStateException("unexpected " + d.step());
            }
            if (d.step() != StartPlan.Step.OTHER_REGION && config.enableEventBridge()) {
                eventBridge(bucket, summary);
            }
        }
    }

    /**
     * The buckets in scope: the listed ones, or every bucket of the account in this Region but those carrying the
     * opt-out tag (each reported). ListBuckets and one GetBucketTagging per bucket, at each start.
     */
    private List<String> inScope(RunSummary summary) {
        if (!config.scope().needsFacts()) {
            return config.buckets();
        }
        List<String> found = new ArrayList<>();
        for (String bucket : s3.buckets(homeRegion)) {
            try {
                if (!optedOut(bucket, summary)) {
                    found.add(bucket);
                }
            } catch (AwsFailure f) {
                summary.add(failure("s3://" + bucket, START_JOB, f, Map.of("bucket", bucket)));
            }
        }
        return found;
    }

    private boolean optedOut(String bucket, RunSummary summary) {
        String reason = config.scope().byFacts(bucket, null, s3.tags(bucket), homeRegion);
        if (reason != null) {
            summary.add(item("s3://" + bucket, OPTED_OUT, Outcome.SKIPPED, reason, Map.of("bucket", bucket)));
            return true;
        }
        return false;
    }

    /**
     * Turns on EventBridge notifications for a bucket in scope, keeping every topic, queue and function
     * configuration exactly: PutBucketNotificationConfiguration replaces the whole configuration, so what was read
     * is written back with EventBridge added, then read again and compared. A configuration that could not be read
     * is never written. A dry run only reads.
     */
    private void eventBridge(String bucket, RunSummary summary) {
        String resource = "s3://" + bucket;
        S3Gateway.Notifications before;
        try {
            before = s3.notifications(bucket);
        } catch (AwsFailure f) {
            summary.add(failure(resource, ENABLE_EVENTBRIDGE, f, Map.of("bucket", bucket,
                    "note", "the notification configuration could not be read: left as it is")));
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("bucket", bucket);
        details.put("before", before.describe());
        if (before.eventBridgeOn()) {
            summary.add(item(resource, ENABLE_EVENTBRIDGE, Outcome.COMPLIANT, "EventBridge notifications already on",
                    details));
            return;
        }
        if (config.dryRun()) {
            summary.add(item(resource, ENABLE_EVENTBRIDGE, Outcome.REPORTED, "dry run, would turn on EventBridge "
                    + "notifications and keep the bucket's other notification configurations", details));
            return;
        }
        S3Gateway.Notifications after;
        try {
            s3.addEventBridge(bucket, before);
            after = s3.notifications(bucket);
        } catch (AwsFailure f) {
            summary.add(failure(resource, ENABLE_EVENTBRIDGE, f, details));
            return;
        }
        details.put("after", after.describe());
        if (!after.eventBridgeOn() || !after.sameDestinations(before)) {
            summary.add(item(resource, ENABLE_EVENTBRIDGE, Outcome.CRITICAL, "the notification configuration read "
                    + "after the write is not the one read before plus EventBridge: look at the bucket now", details));
            return;
        }
        summary.add(item(resource, ENABLE_EVENTBRIDGE, Outcome.CHANGED, "EventBridge notifications turned on; the "
                + "other notification configurations read back unchanged", details));
    }

    /** atrest's unfinished jobs in the home region, by bucket (ListJobs, then the tags of those that look ours). */
    private Map<String, List<StartPlan.ActiveJob>> unfinishedJobs(String account) {
        S3ControlGateway control = controls.apply(homeRegion);
        Map<String, List<StartPlan.ActiveJob>> byBucket = new HashMap<>();
        for (ListedJob listed : control.unfinished(account)) {
            if (listed.description() == null || !listed.description().startsWith(JobTags.DESCRIPTION_PREFIX)) {
                continue;
            }
            Optional<AtrestJob> job;
            try {
                job = JobTags.read(listed.jobId(), control.tags(account, listed.jobId()));
            } catch (AwsFailure f) {
                if (f.kind() == AwsFailure.Kind.NOT_FOUND) {
                    continue; // ended and gone between the listing and the tags
                }
                throw f;
            }
            job.ifPresent(j -> byBucket.computeIfAbsent(j.bucket(), b -> new ArrayList<>())
                    .add(new StartPlan.ActiveJob(j, listed)));
        }
        return byBucket;
    }

    private void create(JobKind kind, String bucket, JobSettings settings, String startId, RunSummary summary) {
        NewJob job = JobRequests.forBucket(kind, bucket, config.dryRun(), settings, startId);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("bucket", bucket);
        details.put("kind", kind.tag());
        details.put("filter", kind.filter());
        details.put("dryRun", config.dryRun());
        try {
            String jobId = controls.apply(homeRegion).create(job, settings);
            details.put("jobId", jobId);
            metrics.started(bucket, kind);
            summary.add(item("job/" + jobId, START_JOB, Outcome.CHANGED, startReason(kind), details));
        } catch (AwsFailure f) {
            summary.add(failure("s3://" + bucket, START_JOB, f, details));
        }
    }

    private String startReason(JobKind kind) {
        String what = kind == JobKind.SSE_S3
                ? "S3 lists the bucket's SSE-S3 objects and changes them to SSE-KMS under " + config.targetKeyArn()
                        + " with UpdateObjectEncryption (no data moved)"
                : "S3 lists the bucket's unencrypted objects and the S3 function copies each to SSE-KMS";
        return config.dryRun()
                ? "dry run: job created with confirmation required; " + what + " once confirmed. S3 prepares the "
                        + "list and stops; atrest reports the count and never confirms it"
                : "job created: " + what;
    }

    // ------------------------------------------------------------------ job events

    private void event(BackfillTrigger.JobEvent e, Caller caller, RunSummary summary) {
        String resource = "job/" + e.jobId();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("jobId", e.jobId());
        if (e.status() != null) {
            details.put("eventStatus", abbreviate(e.status()));
        }
        if ("JobCreated".equals(e.eventName())) {
            summary.add(item(resource, IGNORE_EVENT, Outcome.SKIPPED, "job creation: reported by the start that made "
                    + "it", details));
            return;
        }
        String arnAccount = e.jobArn() == null ? null : Arns.account(e.jobArn());
        String arnRegion = e.jobArn() == null ? null : Arns.region(e.jobArn());
        if (e.account() != null && !e.account().equals(caller.account())
                || arnAccount != null && !arnAccount.equals(caller.account())) {
            summary.add(item(resource, IGNORE_EVENT, Outcome.SKIPPED, "event for another account ('"
                    + abbreviate(e.account() != null && !e.account().equals(caller.account()) ? e.account()
                            : arnAccount) + "'; this function works in " + caller.account() + "): not acted on",
                    details));
            return;
        }
        if (e.region() != null && !e.region().equals(homeRegion) || arnRegion != null && !arnRegion.equals(homeRegion)) {
            summary.add(item(resource, IGNORE_EVENT, Outcome.SKIPPED, "event for another region ('"
                    + abbreviate(e.region() != null ? e.region() : arnRegion) + "'; this function works in "
                    + homeRegion + "): not acted on", details));
            return;
        }
        look(e.jobId(), e.status(), caller, summary);
    }

    /**
     * Acts on a job's current state (DescribeJob's): an event whose status the job has left is only noted, since the
     * event of the job's present state reports it.
     */
    private void look(String jobId, String eventStatus, Caller caller, RunSummary summary) {
        String resource = "job/" + jobId;
        S3ControlGateway control = controls.apply(homeRegion);
        Optional<AtrestJob> found;
        JobState state;
        try {
            found = JobTags.read(jobId, control.tags(caller.account(), jobId));
            if (found.isEmpty()) {
                summary.add(item(resource, IGNORE_EVENT, Outcome.SKIPPED, "not an atrest job (no atrest tags): "
                        + "ignored", Map.of("jobId", jobId)));
                return;
            }
            if (config.scope().byName(found.get().bucket()) != null) {
                summary.add(item(resource, IGNORE_EVENT, Outcome.SKIPPED, "an atrest job for bucket "
                        + found.get().bucket() + ", which is not one of the watched buckets: ignored",
                        Map.of("jobId", jobId, "bucket", found.get().bucket())));
                return;
            }
            state = control.describe(caller.account(), jobId);
        } catch (AwsFailure f) {
            if (f.kind() == AwsFailure.Kind.NOT_FOUND) {
                summary.add(item(resource, IGNORE_EVENT, Outcome.SKIPPED, "no such job in this account and region",
                        Map.of("jobId", jobId)));
            } else {
                summary.add(failure(resource, JOB_PROGRESS, f, Map.of("jobId", jobId)));
            }
            return;
        }
        AtrestJob job = found.get();
        switch (JobStatusPolicy.next(job, state, eventStatus)) {
            case STALE -> summary.add(item(resource, JOB_PROGRESS, Outcome.SKIPPED, "event for status "
                    + abbreviate(eventStatus) + ", but the job is " + state.status() + " now: the event of that status "
                    + "reports it", jobDetails(job, state)));
            case PROGRESS -> progress(job, state, summary);
            case DRY_RUN_COUNT -> dryRunCount(job, state, caller, summary);
            case FINISHED -> finished(job, state, caller, summary);
            default -> throw new IllegalStateException("unexpected status handling");
        }
    }

    private Map<String, Object> jobDetails(AtrestJob job, JobState state) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("jobId", job.jobId());
        d.put("bucket", job.bucket());
        d.put("kind", job.kind().tag());
        d.put("status", state.status());
        d.put("dryRun", job.dryRun());
        if (job.retryOf() != null) {
            d.put("retryOf", job.retryOf());
        }
        if (state.totalTasks() != null) {
            d.put("totalTasks", state.totalTasks());
        }
        d.put("succeeded", state.succeeded());
        d.put("failed", state.failed());
        return d;
    }

    private void progress(AtrestJob job, JobState state, RunSummary summary) {
        Map<String, Object> d = jobDetails(job, state);
        String done = state.totalTasks() == null ? "the list is not ready yet"
                : (state.succeeded() + state.failed()) + " of " + state.totalTasks() + " tasks done";
        String cause = state.suspendedCause() != null ? " (suspended: " + abbreviate(state.suspendedCause()) + ")" : "";
        if ("Active".equals(state.status()) && state.totalTasks() != null) {
            metrics.found(job.bucket(), job.kind(), state.totalTasks());
        }
        summary.add(item("job/" + job.jobId(), JOB_PROGRESS, Outcome.SKIPPED, job.kind().tag() + " job is "
                + state.status() + ": " + done + cause, d));
    }

    private void dryRunCount(AtrestJob job, JobState state, Caller caller, RunSummary summary) {
        Map<String, Object> d = jobDetails(job, state);
        if (state.totalTasks() != null) {
            metrics.found(job.bucket(), job.kind(), state.totalTasks());
        }
        if (JobStatusPolicy.foundNothing(job, state)) {
            String note = "";
            if (JobStatusPolicy.cancelEmpty(job, state)) {
                try {
                    controls.apply(homeRegion).cancel(caller.account(), job.jobId(), EMPTY_JOB_CANCELLED);
                    d.put("cancelled", true);
                    note = "; the empty dry-run job is cancelled (nothing to confirm)";
                } catch (AwsFailure f) {
                    // Moved on (a person confirmed it, with nothing to do) or gone: the convergence stands.
                    note = "; the empty dry-run job could not be cancelled: " + abbreviateLong(f.getMessage());
                }
            }
            summary.add(item("job/" + job.jobId(), CONVERGED, Outcome.COMPLIANT, convergedReason(job) + note, d));
            return;
        }
        String count = state.totalTasks() == null ? "an unknown number of" : state.totalTasks().toString();
        String what = job.kind() == JobKind.SSE_S3 ? "SSE-S3 objects would be changed to SSE-KMS"
                : job.kind() == JobKind.NOT_SSE ? "unencrypted objects would be copied to SSE-KMS by the S3 function"
                : "objects would be retried through the S3 function";
        summary.add(item("job/" + job.jobId(), DRY_RUN_COUNT, Outcome.REPORTED, "dry run: " + count + " " + what
                + "; the job waits for a confirmation atrest never gives (confirm it yourself to run it, or deploy "
                + "with DryRun=false and start again)", d));
    }

    private static String convergedReason(AtrestJob job) {
        return "converged for " + (job.kind() == JobKind.SSE_S3 ? "SSE-S3" : "unencrypted") + " objects: the "
                + job.kind().filter() + " filter lists none in s3://" + job.bucket();
    }

    // ------------------------------------------------------------------ finished jobs

    private void finished(AtrestJob job, JobState state, Caller caller, RunSummary summary) {
        String resource = "job/" + job.jobId();
        Map<String, Object> d = jobDetails(job, state);
        Long duration = state.durationSeconds(Instant.now());
        if (duration != null) {
            d.put("durationSeconds", duration);
        }
        if (state.activeSeconds() != null) {
            d.put("activeSeconds", state.activeSeconds());
        }
        if (!state.failures().isEmpty()) {
            d.put("jobFailures", state.failures());
        }
        boolean retries = JobStatusPolicy.retries(job, state);
        FailureGroups groups = new FailureGroups(job.bucket(), job.kind().lambdaPath(), retries);
        boolean groupsUsable = true;
        if (state.failed() > 0) {
            try {
                CompletionReport.Summary report = CompletionReport.read(s3, state, config.reportBucket(), groups);
                if (report.location() != null) {
                    d.put("report", report.location());
                }
                if (report.malformedRows() > 0) {
                    d.put("malformedReportRows", report.malformedRows());
                }
                if (!report.found()) {
                    groupsUsable = false;
                    d.put("reportMissing", true);
                }
            } catch (CompletionReport.Unusable u) {
                groupsUsable = false;
                summary.add(item(resource, REPORT_UNUSABLE, Outcome.FAILED, u.getMessage()
                        + "; its failures are not acted on", Map.of("jobId", job.jobId(), "bucket", job.bucket())));
            } catch (AwsFailure f) {
                groupsUsable = false;
                summary.add(failure(resource, REPORT_UNUSABLE, f, Map.of("jobId", job.jobId(), "bucket", job.bucket())));
            }
        }
        if (groupsUsable) {
            Map<String, Long> byReason = new LinkedHashMap<>();
            groups.groups().forEach((r, g) -> byReason.put(r.name(), g.count()));
            if (!byReason.isEmpty()) {
                d.put("failedByReason", byReason);
            }
            if (groups.otherBucket() > 0) {
                d.put("rowsForAnotherBucket", groups.otherBucket());
            }
        }
        metrics.finished(job.bucket(), job.kind(), state.succeeded(), state.failed(), duration);
        if (JobStatusPolicy.foundNothing(job, state)) {
            metrics.found(job.bucket(), job.kind(), 0);
            summary.add(item(resource, CONVERGED, Outcome.COMPLIANT, convergedReason(job), d));
        } else {
            summary.add(item(resource, JOB_FINISHED, finishedOutcome(state), finishedReason(job, state), d));
        }
        if (!groupsUsable) {
            return;
        }
        groups.groups().forEach((reason, g) -> {
            metrics.failures(job.bucket(), reason, g.count());
            Map<String, Object> gd = new LinkedHashMap<>();
            gd.put("jobId", job.jobId());
            gd.put("bucket", job.bucket());
            gd.put("reason", reason.name());
            gd.put("count", g.count());
            gd.put("samples", g.samples());
            summary.add(item(resource, FAILED_TASKS, groupOutcome(job, reason, retries), g.count() + " object(s) "
                    + reason.meaning() + groupNote(job, reason, retries), gd));
        });
        if (retries && !groups.retries().isEmpty()) {
            retry(job, groups, caller, summary);
        }
    }

    private static Outcome finishedOutcome(JobState state) {
        return switch (state.status()) {
            case "Complete" -> Outcome.CHANGED;
            case "Cancelled" -> Outcome.SKIPPED;
            default -> Outcome.FAILED;
        };
    }

    private String finishedReason(AtrestJob job, JobState state) {
        String counts = state.succeeded() + " succeeded, " + state.failed() + " failed"
                + (state.totalTasks() != null ? " of " + state.totalTasks() : "");
        return switch (state.status()) {
            case "Complete" -> job.kind().tag() + " job complete: " + counts;
            case "Cancelled" -> job.kind().tag() + " job cancelled" + (state.statusUpdateReason() != null ? " ("
                    + abbreviate(state.statusUpdateReason()) + ")" : "") + ": " + counts + "; nothing retried";
            default -> job.kind().tag() + " job failed" + (state.failures().isEmpty() ? "" : " ("
                    + String.join("; ", state.failures()) + ")") + ": " + counts + "; nothing retried, start the "
                    + "backfill again once the cause is fixed";
        };
    }

    private static Outcome groupOutcome(AtrestJob job, FailureReason reason, boolean retries) {
        if (reason.disposition() == FailureReason.Disposition.LAMBDA_PATH && !retries) {
            return job.kind() == JobKind.RETRY ? Outcome.FAILED : Outcome.REPORTED;
        }
        return reason.outcome();
    }

    private static String groupNote(AtrestJob job, FailureReason reason, boolean retries) {
        if (reason.disposition() != FailureReason.Disposition.LAMBDA_PATH) {
            return "";
        }
        if (retries) {
            return "; sent once through the S3 function (retry job)";
        }
        return job.kind() == JobKind.RETRY ? "; failed again on its one retry through the S3 function: a person must "
                + "look at it" : "; not retried: the job did not complete";
    }

    private void retry(AtrestJob job, FailureGroups groups, Caller caller, RunSummary summary) {
        JobSettings settings = settings(caller);
        List<FailedTask> tasks = groups.retries();
        String key = JobRequests.retryManifestKey(job.jobId());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("retryOf", job.jobId());
        d.put("bucket", job.bucket());
        d.put("tasks", tasks.size());
        d.put("manifest", "s3://" + config.reportBucket() + "/" + key);
        if (groups.overRetryLimit() > 0) {
            d.put("notRetriedOverLimit", groups.overRetryLimit());
        }
        try {
            String etag = s3.writeOnce(config.reportBucket(), key, RetryManifest.csv(tasks), settings.account());
            NewJob retry = JobRequests.retry(job, config.dryRun(),
                    new NewJob.ManifestFile(config.reportBucket(), key, unquote(etag)));
            String retryId = controls.apply(homeRegion).create(retry, settings);
            d.put("jobId", retryId);
            metrics.started(job.bucket(), JobKind.RETRY);
            metrics.retried(job.bucket(), tasks.size());
            summary.add(item("job/" + retryId, RETRY_JOB, Outcome.CHANGED, tasks.size() + " failed task(s) of job "
                    + job.jobId() + " sent once through the S3 function" + (config.dryRun() ? " (dry run: the retry "
                    + "job waits for a confirmation atrest never gives)" : "") + (groups.overRetryLimit() > 0
                    ? "; " + groups.overRetryLimit() + " more not retried (limit " + FailureGroups.MAX_RETRIES
                    + "): the next start lists them again" : ""), d));
        } catch (AwsFailure f) {
            summary.add(failure("job/" + job.jobId(), RETRY_JOB, f, d));
        }
    }

    private static String unquote(String etag) {
        return etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }

    // ------------------------------------------------------------------ shared

    private JobSettings settings(Caller caller) {
        return new JobSettings(caller.account(), caller.partition(), config.jobRoleArn(), config.reportBucket(),
                config.targetKeyArn(), config.bucketKeyEnabled(), config.lambdaPathArn(), PRIORITY);
    }

    private void tell(RunSummary summary) {
        if (notice == null || !BackfillNotice.worthTelling(summary)) {
            return;
        }
        try {
            notice.publish(summary);
        } catch (RuntimeException e) {
            // The jobs are started and reported in the summary; a lost message must not make Lambda run them again.
            LOG.warn("SNS summary not published: {}", e.toString());
            summary.error("SNS summary not published: " + abbreviate(e.getMessage()));
        }
    }

    private static ItemResult item(String resource, String action, Outcome outcome, String reason,
            Map<String, Object> details) {
        ItemResult r = new ItemResult(resource, action, outcome, reason, details);
        LOG.info("{} {} {}: {}", resource, action, outcome, reason);
        return r;
    }

    private static ItemResult failure(String resource, String action, AwsFailure f, Map<String, Object> details) {
        Map<String, Object> d = new LinkedHashMap<>(details);
        d.put("failure", f.kind().name());
        LOG.warn("{} {} failed: {}", resource, action, f.getMessage());
        return new ItemResult(resource, action, f.kind().retryable() ? Outcome.RETRYABLE_FAILURE : Outcome.FAILED,
                abbreviateLong(f.getMessage()), d);
    }

    /** AWS error messages can carry request text: bounded, at a length that keeps the operation and the code. */
    private static String abbreviateLong(String message) {
        return message == null || message.length() <= 400 ? message : message.substring(0, 400) + "…";
    }
}
