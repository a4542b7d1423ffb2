package dev.atrest.audit.check;

import dev.atrest.audit.aws.FsxGateway;
import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the FSx file system and backup checks share: all FSx data is encrypted, so the question is only whose key.
 * A subclass names its resource (ARN resource prefix, read action, listing and lookup) and how a finding words it.
 */
abstract sealed class FsxKeyCheck implements AuditCheck<FsxGateway.FsxResource, FsxKeyState>
        permits FsxFileSystemCheck, FsxBackupCheck {
    protected final FsxGateway fsx;
    private final String resourcePrefix;
    private final String readAction;

    FsxKeyCheck(FsxGateway fsx, String resourcePrefix, String readAction) {
        this.fsx = fsx;
        this.resourcePrefix = resourcePrefix;
        this.readAction = readAction;
    }

    /** The gateway's lookup of one resource by its id (the part of the ARN after the resource prefix). */
    abstract Optional<FsxGateway.FsxResource> findById(String region, String id);

    /** How the finding names the resource ("backup", "Lustre file system (SCRATCH_2)"). */
    abstract String what(FsxKeyState state);

    /** The finding's detail names for the resource's id and for {@link FsxKeyState#detail()}. */
    abstract String idDetail();

    abstract String extraDetail();

    @Override
    public final CheckReach reach() {
        return CheckReach.REGION;
    }

    @Override
    public final Set<String> readActions() {
        return Set.of(readAction, "kms:DescribeKey");
    }

    @Override
    public final boolean audits(String resourceId) {
        return ResourceArns.id(resourceId, "fsx", resourcePrefix).isPresent();
    }

    @Override
    public final Optional<FsxGateway.FsxResource> find(AuditRun run, String region, String resourceId) {
        return ResourceArns.id(resourceId, "fsx", resourcePrefix).flatMap(id -> findById(region, id));
    }

    @Override
    public final String region(FsxGateway.FsxResource resource) {
        return resource.region();
    }

    @Override
    public final FsxKeyState describe(AuditRun run, FsxGateway.FsxResource r) {
        KeyManager manager = r.kmsKeyId() == null ? null
                : CustomerManagedKeyRule.lookUp(run, r.region(), true, r.kmsKeyId());
        return new FsxKeyState(r.id(), r.arn(), r.region(), r.type(), r.detail(), r.kmsKeyId(), manager, r.tags());
    }

    @Override
    public final Set<FactKind<?>> produces() {
        return Set.of(KeyUse.KIND);
    }

    @Override
    public final void share(FsxKeyState s, RunFacts facts) {
        KeyUse.share(facts, s.region(), s.kmsKeyId(), s.arn(), id());
    }

    @Override
    public final Finding evaluate(FsxKeyState s, RunContext context) {
        String what = what(s);
        Map<String, String> details = new LinkedHashMap<>();
        details.put(idDetail(), s.id());
        if (s.type() != null) {
            details.put("fileSystemType", s.type());
        }
        if (s.detail() != null) {
            details.put(extraDetail(), s.detail());
        }
        if (s.kmsKeyId() != null) {
            details.put("kmsKeyId", s.kmsKeyId());
        }
        boolean required = context.config().requireCustomerManagedKey();
        String reason;
        boolean passed;
        if (s.kmsKeyId() == null) {
            // Lustre scratch: keys FSx manages per file system, never a customer's.
            passed = !required;
            reason = what + " is encrypted under a key Amazon FSx manages (no KMS key)"
                    + (required ? ": a customer managed key is required" : "");
        } else {
            String unmet = CustomerManagedKeyRule.unmet(context, what, s.kmsKeyId(), s.keyManager());
            passed = unmet == null;
            reason = unmet != null ? unmet : what + " is encrypted"
                    + (required ? " with a customer managed key" : " under " + s.kmsKeyId());
        }
        return definition().finding(context, passed ? ComplianceStatus.PASSED : ComplianceStatus.FAILED, s.arn(),
                s.region(), reason, s.tags(), details);
    }
}
