package dev.atrest.audit.check;

import dev.atrest.audit.AuditConfig;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.summary.ItemResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One question the audit asks of one kind of resource, as a unit the {@link CheckRegistry} lists and the audit
 * service runs without knowing the kind: what it is ({@link #definition()}), where its resources are listed
 * ({@link #reach()}), how they are read (through a gateway), how a described resource is judged (a pure function),
 * how its resources are tagged and which IAM actions all of that takes.
 *
 * <p>A resource goes through three steps. {@link #list} pages through the resources of a scope (for many kinds the
 * listing already says everything); {@link #describe} completes one listed resource with what its listing lacks
 * (its bucket encryption, who manages its key); {@link #evaluate} judges the described state. {@link #find} reads
 * one resource named by its finding's resource id instead of listing them all, so an event about one resource gets
 * the finding (and finding id) a full audit gives it.
 *
 * @param <R> a resource as its listing (or {@link #find}) gives it
 * @param <S> a resource as described for judging: everything {@link #evaluate} needs
 */
public interface AuditCheck<R, S> {

    CheckDefinition definition();

    default String id() {
        return definition().id();
    }

    CheckReach reach();

    /**
     * Streams the resources of the scope into {@code out}, one page at a time.
     *
     * @param regions the region of a {@link CheckReach#REGION} check's scope; every audited region for a
     *     {@link CheckReach#ACCOUNT} check, whose listing may also give resources elsewhere (the service drops them)
     */
    void list(AuditRun run, List<String> regions, Consumer<R> out);

    /**
     * One resource named by the id its findings carry ({@link Finding#resourceId()}: an ARN, or the account resource
     * of an account setting); empty when it does not exist (any more).
     *
     * @param region the region the resource is in, as the caller knows it (an event's region)
     */
    Optional<R> find(AuditRun run, String region, String resourceId);

    /** Whether {@code resourceId} names a resource of this check's kind: routes an event about one resource. */
    boolean audits(String resourceId);

    /** The region whose scope the resource belongs to. */
    String region(R resource);

    /** Reads what the listing lacks. Lookups shared across checks go through {@code run} (keys, facts). */
    S describe(AuditRun run, R resource);

    /**
     * The pure rule: a described resource judged, passed or failed with the reason. No AWS call, nothing read but
     * the arguments, so a table of states tests it.
     */
    Finding evaluate(S state, RunContext context);

    /**
     * Changes the resource where the configuration asks for it, before it is judged, and returns the state to judge
     * (read back after the change). Every change (or, in dry run, every change it would make) goes to
     * {@code actions}. Most checks only report: their resources cannot be fixed in place.
     */
    default S remediate(AuditRun run, S state, Consumer<ItemResult> actions) {
        return state;
    }

    /** What other checks of the run may learn from this resource (facts of the {@link #produces()} kinds). */
    default void share(S state, RunFacts facts) {}

    /** The kinds of facts {@link #share} gives; the registry runs their consumers after this check. */
    default Set<FactKind<?>> produces() {
        return Set.of();
    }

    /** The kinds of facts this check reads from {@link AuditRun#facts()} while describing. */
    default Set<FactKind<?>> consumes() {
        return Set.of();
    }

    /** How the tag sink marks this check's non-compliant resources; empty when they are never tagged. */
    default Optional<ResourceTagging> tagging() {
        return Optional.empty();
    }

    /** The IAM actions {@link #list}, {@link #find} and {@link #describe} need: always granted. */
    Set<String> readActions();

    /** The IAM actions of {@link #remediate}, each with the setting that turns the change on. */
    default List<Permission> remediationPermissions() {
        return List.of();
    }

    /** Every IAM action this check needs, with the setting each depends on: reads, tagging, remediation. */
    default List<Permission> permissions() {
        List<Permission> out = new ArrayList<>();
        out.add(Permission.always(readActions()));
        tagging().ifPresent(t -> out.add(Permission.enabledBy(AuditConfig.TAG_RESOURCES, t.actions())));
        out.addAll(remediationPermissions());
        return List.copyOf(out);
    }

    /**
     * The finding a full audit would give the one resource {@code resourceId}, without remediating it; empty when the
     * resource does not exist (its open finding is then resolved as gone).
     */
    default Optional<Finding> auditOne(AuditRun run, String region, String resourceId) {
        return find(run, region, resourceId).map(r -> {
            S state = describe(run, r);
            share(state, run.facts());
            return evaluate(state, run.context());
        });
    }
}
