package dev.atrest.backfill;

import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.json.UntrustedText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3control.S3ControlClient;
import software.amazon.awssdk.services.s3control.S3ControlClientBuilder;
import software.amazon.awssdk.services.s3control.endpoints.S3ControlEndpointProvider;
import software.amazon.awssdk.services.s3control.model.CreateJobRequest;
import software.amazon.awssdk.services.s3control.model.GeneratedManifestFormat;
import software.amazon.awssdk.services.s3control.model.JobDescriptor;
import software.amazon.awssdk.services.s3control.model.JobFailure;
import software.amazon.awssdk.services.s3control.model.JobManifestFieldName;
import software.amazon.awssdk.services.s3control.model.JobManifestFormat;
import software.amazon.awssdk.services.s3control.model.JobOperation;
import software.amazon.awssdk.services.s3control.model.JobProgressSummary;
import software.amazon.awssdk.services.s3control.model.JobReport;
import software.amazon.awssdk.services.s3control.model.JobReportFormat;
import software.amazon.awssdk.services.s3control.model.JobReportScope;
import software.amazon.awssdk.services.s3control.model.ObjectEncryptionFilter;
import software.amazon.awssdk.services.s3control.model.RequestedJobStatus;
import software.amazon.awssdk.services.s3control.model.S3Tag;

/**
 * The only class that talks to S3 Control (Batch Operations jobs), in one region. Maps atrest's {@link NewJob} to
 * CreateJob and the SDK's answers to {@link JobState} and {@link ListedJob}; SDK exceptions to {@link AwsFailure}.
 */
public class S3ControlGateway {
    /** S3 Control's own codes: a token reused for another request, a status change the job's state forbids. */
    static final AwsFailure.ServiceErrors ERRORS = (code, status) -> switch (code == null ? "" : code) {
        case "JobStatusException" -> Optional.of(AwsFailure.Kind.PRECONDITION_FAILED);
        case "IdempotencyException" -> Optional.of(AwsFailure.Kind.INVALID);
        case "TooManyRequestsException" -> Optional.of(AwsFailure.Kind.RETRYABLE);
        default -> Optional.empty();
    };

    private final S3ControlClient client;

    public S3ControlGateway(S3ControlClient client) {
        this.client = client;
    }

    /**
     * The client builder: against an emulator (an endpoint override for S3 Control, and only then) the endpoint is
     * resolved without the account label S3 Control's rules put in front of the host.
     */
    public static S3ControlClientBuilder builder() {
        S3ControlClientBuilder b = S3ControlClient.builder();
        if (ClientFactory.s3ControlWithoutAccountHost()) {
            S3ControlEndpointProvider rules = S3ControlEndpointProvider.defaultProvider();
            b.endpointProvider(p -> rules.resolveEndpoint(p.toBuilder().requiresAccountId(false).build()));
        }
        return b;
    }

    /** CreateJob; returns the job id (the existing job's, when the token was already used for this request). */
    public String create(NewJob job, JobSettings s) {
        CreateJobRequest.Builder b = CreateJobRequest.builder()
                .accountId(s.account())
                .clientRequestToken(job.token())
                .confirmationRequired(job.dryRun())
                .priority(s.priority())
                .roleArn(s.roleArn())
                .description(job.description())
                .tags(job.tags().entrySet().stream().map(e -> S3Tag.builder().key(e.getKey()).value(e.getValue())
                        .build()).toList())
                .report(JobReport.builder().enabled(true).bucket(s.bucketArn(s.reportBucket()))
                        .format(JobReportFormat.REPORT_CSV_20180820).prefix(JobRequests.REPORT_PREFIX)
                        .reportScope(JobReportScope.FAILED_TASKS_ONLY).expectedBucketOwner(s.account()).build())
                .operation(operation(job, s));
        if (job.manifest() == null) {
            b.manifestGenerator(g -> g.s3JobManifestGenerator(m -> m
                    .sourceBucket(s.bucketArn(job.bucket()))
                    .expectedBucketOwner(s.account())
                    .enableManifestOutput(true)
                    .manifestOutputLocation(o -> o.bucket(s.bucketArn(s.reportBucket()))
                            .manifestPrefix(JobRequests.MANIFEST_PREFIX)
                            .manifestFormat(GeneratedManifestFormat.S3_INVENTORY_REPORT_CSV_20211130)
                            .expectedManifestBucketOwner(s.account())
                            .manifestEncryption(e -> e.sses3(x -> { })))
                    .filter(f -> f.matchAnyObjectEncryption(filter(job.kind())))));
        } else {
            NewJob.ManifestFile file = job.manifest();
            b.manifest(m -> m
                    .spec(sp -> sp.format(JobManifestFormat.S3_BATCH_OPERATIONS_CSV_20180820)
                            .fields(JobManifestFieldName.BUCKET, JobManifestFieldName.KEY))
                    .location(l -> l.objectArn(s.bucketArn(file.bucket()) + "/" + file.key()).eTag(file.etag())));
        }
        CreateJobRequest request = b.build();
        return AwsFailure.call("CreateJob " + job.kind().tag() + " s3://" + job.bucket(), ERRORS,
                () -> client.createJob(request).jobId());
    }

    private static JobOperation operation(NewJob job, JobSettings s) {
        if (job.kind().lambdaPath()) {
            return JobOperation.builder().lambdaInvoke(l -> l.functionArn(s.lambdaPathArn())
                    .invocationSchemaVersion("2.0")).build();
        }
        return JobOperation.builder().s3UpdateObjectEncryption(u -> u.objectEncryption(e -> e.ssekms(k -> k
                .kmsKeyArn(s.keyArn()).bucketKeyEnabled(s.bucketKeyEnabled())))).build();
    }

    private static ObjectEncryptionFilter filter(JobKind kind) {
        return switch (kind) {
            case SSE_S3 -> ObjectEncryptionFilter.builder().sses3(f -> { }).build();
            case NOT_SSE -> ObjectEncryptionFilter.builder().notsse(f -> { }).build();
            case RETRY -> throw new IllegalArgumentException("retry jobs have a manifest, not a filter");
        };
    }

    /** Every job of the account in this region that has not ended (ListJobs, every page). */
    public List<ListedJob> unfinished(String account) {
        return AwsFailure.call("ListJobs", ERRORS, () -> {
            List<ListedJob> out = new ArrayList<>();
            client.listJobsPaginator(b -> b.accountId(account).jobStatusesWithStrings(JobStatusPolicy.ACTIVE))
                    .stream().flatMap(page -> page.jobs().stream()).forEach(j -> {
                        JobProgressSummary p = j.progressSummary();
                        out.add(new ListedJob(j.jobId(), j.description(), j.statusAsString(),
                                p == null ? null : p.totalNumberOfTasks(), count(p == null ? null
                                        : p.numberOfTasksSucceeded()), count(p == null ? null
                                        : p.numberOfTasksFailed())));
                    });
            return out;
        });
    }

    /** UpdateJobStatus to Cancelled; S3 refuses it (PRECONDITION_FAILED) once the job has moved on. */
    public void cancel(String account, String jobId, String reason) {
        AwsFailure.call("UpdateJobStatus " + jobId, ERRORS, () -> client.updateJobStatus(b -> b.accountId(account)
                .jobId(jobId).requestedJobStatus(RequestedJobStatus.CANCELLED).statusUpdateReason(reason)));
    }

    public Map<String, String> tags(String account, String jobId) {
        return AwsFailure.call("GetJobTagging " + jobId, ERRORS, () -> {
            Map<String, String> tags = new LinkedHashMap<>();
            client.getJobTagging(b -> b.accountId(account).jobId(jobId)).tags()
                    .forEach(t -> tags.put(t.key(), t.value()));
            return tags;
        });
    }

    public JobState describe(String account, String jobId) {
        JobDescriptor j = AwsFailure.call("DescribeJob " + jobId, ERRORS,
                () -> client.describeJob(b -> b.accountId(account).jobId(jobId)).job());
        JobProgressSummary p = j.progressSummary();
        JobReport report = j.report();
        boolean reportOn = report != null && Boolean.TRUE.equals(report.enabled()) && report.bucket() != null;
        String reportBucket = reportOn ? bucketName(report.bucket()) : null;
        List<String> failures = j.failureReasons() == null ? List.of() : j.failureReasons().stream()
                .map(S3ControlGateway::failureText).toList();
        String operation = j.operation() == null ? null : j.operation().lambdaInvoke() != null ? "LambdaInvoke"
                : j.operation().s3UpdateObjectEncryption() != null ? "S3UpdateObjectEncryption" : "other";
        return new JobState(j.jobId(), j.statusAsString(), p == null ? null : p.totalNumberOfTasks(),
                count(p == null ? null : p.numberOfTasksSucceeded()), count(p == null ? null : p.numberOfTasksFailed()),
                j.creationTime(), j.terminationDate(),
                p == null || p.timers() == null ? null : p.timers().elapsedTimeInActiveSeconds(), failures,
                reportBucket, reportOn ? report.prefix() : null, reportOn, operation, j.statusUpdateReason(),
                j.suspendedCause(), Boolean.TRUE.equals(j.confirmationRequired()));
    }

    /** The bucket of {@code arn:partition:s3:::bucket}; null for anything else. */
    static String bucketName(String arn) {
        int at = arn.indexOf(":::");
        return arn.startsWith("arn:") && at > 0 && !arn.substring(at + 3).contains("/") ? arn.substring(at + 3) : null;
    }

    private static long count(Long value) {
        return value == null ? 0 : value;
    }

    /** FailureReasons as text, bounded (S3's text, but echoed into logs and messages). */
    static String failureText(JobFailure f) {
        return UntrustedText.abbreviate(f.failureCode()) + ": " + UntrustedText.abbreviate(f.failureReason());
    }
}
