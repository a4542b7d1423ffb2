package dev.atrest.backfill;

import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The backfill's EMF metrics (namespace from POWERTOOLS_METRICS_NAMESPACE), one document per bucket and job kind
 * (or reason), so a dashboard can draw progress per bucket:
 * <ul>
 *   <li>{@code BackfillJobsStarted} {Bucket, JobKind}: jobs created;</li>
 *   <li>{@code BackfillObjectsFound} {Bucket, JobKind}: the objects a job's filter listed (a dry run's count, or a
 *       real job's once it is Active); 0 for both filters of a bucket means the bucket has converged;</li>
 *   <li>{@code BackfillObjectsSucceeded}, {@code BackfillObjectsFailed}, {@code BackfillJobDurationSeconds}
 *       {Bucket, JobKind}: when a job ends;</li>
 *   <li>{@code BackfillFailures} {Bucket, Reason}: a finished job's failed tasks by reason;</li>
 *   <li>{@code BackfillObjectsRetried} {Bucket}: tasks sent once through the S3 function.</li>
 * </ul>
 */
public final class BackfillMetrics {
    private final Metrics metrics;

    public BackfillMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    public void started(String bucket, JobKind kind) {
        emit(bucket, kind, "BackfillJobsStarted", 1, MetricUnit.COUNT);
    }

    public void found(String bucket, JobKind kind, long objects) {
        emit(bucket, kind, "BackfillObjectsFound", objects, MetricUnit.COUNT);
    }

    public void finished(String bucket, JobKind kind, long succeeded, long failed, Long durationSeconds) {
        metrics.flushMetrics(m -> {
            m.addDimension(DimensionSet.of("Bucket", bucket, "JobKind", kind.tag()));
            m.addMetric("BackfillObjectsSucceeded", succeeded, MetricUnit.COUNT);
            m.addMetric("BackfillObjectsFailed", failed, MetricUnit.COUNT);
            if (durationSeconds != null) {
                m.addMetric("BackfillJobDurationSeconds", durationSeconds, MetricUnit.SECONDS);
            }
        });
    }

    public void failures(String bucket, FailureReason reason, long count) {
        metrics.flushMetrics(m -> {
            m.addDimension(DimensionSet.of("Bucket", bucket, "Reason", reason.name()));
            m.addMetric("BackfillFailures", count, MetricUnit.COUNT);
        });
    }

    public void retried(String bucket, long count) {
        metrics.flushMetrics(m -> {
            m.addDimension(DimensionSet.of("Bucket", bucket));
            m.addMetric("BackfillObjectsRetried", count, MetricUnit.COUNT);
        });
    }

    private void emit(String bucket, JobKind kind, String name, long value, MetricUnit unit) {
        metrics.flushMetrics(m -> {
            m.addDimension(DimensionSet.of("Bucket", bucket, "JobKind", kind.tag()));
            m.addMetric(name, value, unit);
        });
    }
}
