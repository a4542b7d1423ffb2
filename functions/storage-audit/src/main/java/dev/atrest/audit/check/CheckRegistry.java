package dev.atrest.audit.check;

import dev.atrest.audit.aws.AuditGateways;
import dev.atrest.core.aws.AwsFailure;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * The checks the audit runs: an explicit list, built once at init (no classpath scanning: it would cost the cold
 * start and hide what runs). A new kind of resource is one {@link AuditCheck} class, its gateway method and one line
 * in {@link #standard}; the service, the sinks and the least-privilege test take everything else from the check.
 */
public final class CheckRegistry {
    private final List<AuditCheck<?, ?>> checks;
    private final Map<String, AuditCheck<?, ?>> byId = new LinkedHashMap<>();
    private final List<List<AuditCheck<?, ?>>> phases;

    /**
     * @throws IllegalArgumentException when two checks share an id, a check consumes a kind of fact no check
     *     produces, or consumers and producers form a cycle: a registry that cannot run fails init
     */
    public CheckRegistry(List<AuditCheck<?, ?>> checks) {
        this.checks = List.copyOf(checks);
        for (AuditCheck<?, ?> c : this.checks) {
            if (byId.putIfAbsent(c.id(), c) != null) {
                throw new IllegalArgumentException("two checks have the id " + c.id());
            }
        }
        this.phases = phases(this.checks);
    }

    /** The audit's checks, in the order they are scheduled and reported. */
    public static CheckRegistry standard(AuditGateways aws) {
        return new CheckRegistry(List.of(
                new EbsVolumeCheck(aws.ec2()),
                new EbsSnapshotCheck(aws.ec2()),
                new EbsDefaultEncryptionCheck(aws.ec2()),
                new EfsFileSystemCheck(aws.efs()),
                new S3BucketDefaultEncryptionCheck(aws.s3()),
                new FsxFileSystemCheck(aws.fsx()),
                new FsxBackupCheck(aws.fsx()),
                new S3BucketSseCBlockedCheck(aws.s3()),
                new KmsCustomKeyStoreCheck(aws.kms()),
                new KmsKeyPolicyCheck(aws.kms()),
                new KmsKeyDataAtRiskCheck(aws.kms())));
    }

    public List<AuditCheck<?, ?>> checks() {
        return checks;
    }

    public Optional<AuditCheck<?, ?>> byId(String checkId) {
        return Optional.ofNullable(byId.get(checkId));
    }

    /** The checks whose kind of resource {@code resourceId} is (several for an account setting). */
    public List<AuditCheck<?, ?>> auditing(String resourceId) {
        return checks.stream().filter(c -> c.audits(resourceId)).toList();
    }

    /**
     * The checks in the order facts allow: each phase holds the checks whose consumed facts every earlier phase has
     * produced. Checks that consume nothing are all in the first phase and run together.
     */
    public List<List<AuditCheck<?, ?>>> phases() {
        return phases;
    }

    /** The kinds of facts some check reads: the only ones a run keeps. */
    public Set<FactKind<?>> consumed() {
        Set<FactKind<?>> out = new HashSet<>();
        checks.forEach(c -> out.addAll(c.consumes()));
        return out;
    }

    /**
     * The facts {@code consumer} reads, for one region, as a scheduled audit's producers give them: every producer
     * lists and describes the region's resources and shares what it found (nothing judged, changed or reported).
     * A producer that fails leaves the kind incomplete in the region, which the consumer must not read as "none".
     * For an audit of one resource whose check reads other checks' facts (a key's dependents).
     */
    public void shareFacts(AuditCheck<?, ?> consumer, String region, AuditRun run) {
        for (FactKind<?> kind : consumer.consumes()) {
            for (AuditCheck<?, ?> producer : checks) {
                if (producer.produces().contains(kind)) {
                    try {
                        share(producer, region, run);
                    } catch (RuntimeException e) {
                        LoggerFactory.getLogger(CheckRegistry.class).warn("{} could not read {} for its facts: {}",
                                producer.id(), region, e.toString());
                        run.facts().incomplete(kind, region,
                                e instanceof AwsFailure f && f.kind() == AwsFailure.Kind.RETRYABLE);
                    }
                }
            }
        }
    }

    private static <R, S> void share(AuditCheck<R, S> producer, String region, AuditRun run) {
        producer.list(run, List.of(region), r -> {
            if (region.equals(producer.region(r))) {
                producer.share(producer.describe(run, r), run.facts());
            }
        });
    }

    /** Every IAM action of every check, with the setting each depends on. */
    public List<Permission> permissions() {
        List<Permission> out = new ArrayList<>();
        checks.forEach(c -> out.addAll(c.permissions()));
        return out;
    }

    private static List<List<AuditCheck<?, ?>>> phases(List<AuditCheck<?, ?>> checks) {
        Set<FactKind<?>> produced = new HashSet<>();
        checks.forEach(c -> produced.addAll(c.produces()));
        for (AuditCheck<?, ?> c : checks) {
            for (FactKind<?> kind : c.consumes()) {
                if (!produced.contains(kind)) {
                    throw new IllegalArgumentException(c.id() + " consumes " + kind.name()
                            + ", which no check produces");
                }
            }
        }
        List<List<AuditCheck<?, ?>>> out = new ArrayList<>();
        List<AuditCheck<?, ?>> waiting = new ArrayList<>(checks);
        while (!waiting.isEmpty()) {
            // Ready: no consumed kind is still to be produced by a check that has not run.
            List<AuditCheck<?, ?>> ready = waiting.stream().filter(c -> c.consumes().stream().noneMatch(kind ->
                    waiting.stream().anyMatch(p -> p.produces().contains(kind)))).toList();
            if (ready.isEmpty()) {
                throw new IllegalArgumentException("checks consume each other's facts in a cycle: "
                        + waiting.stream().map(AuditCheck::id).toList());
            }
            out.add(ready);
            waiting.removeAll(ready);
        }
        return List.copyOf(out);
    }
}
