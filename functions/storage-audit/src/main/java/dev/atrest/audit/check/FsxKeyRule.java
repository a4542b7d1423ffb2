package dev.atrest.audit.check;

import dev.atrest.audit.aws.FsxGateway;
import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import java.util.LinkedHashMap;
import java.util.Map;

/** What FSx file systems and backups share: all FSx data is encrypted, so the question is only whose key. */
final class FsxKeyRule {
    private FsxKeyRule() {}

    static FsxKeyState describe(AuditRun run, FsxGateway.FsxResource r) {
        KeyManager manager = r.kmsKeyId() == null ? null
                : CustomerManagedKeyRule.lookUp(run, r.region(), true, r.kmsKeyId());
        return new FsxKeyState(r.id(), r.arn(), r.region(), r.type(), r.detail(), r.kmsKeyId(), manager, r.tags());
    }

    static void share(FsxKeyState s, RunFacts facts, String checkId) {
        if (s.kmsKeyId() != null) {
            facts.add(KeyUse.KIND, new KeyUse(s.region(), s.kmsKeyId(), s.arn(), checkId));
        }
    }

    static Finding evaluate(CheckDefinition definition, FsxKeyState s, RunContext context, String what,
            String idDetail, String extraDetail) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put(idDetail, s.id());
        if (s.type() != null) {
            details.put("fileSystemType", s.type());
        }
        if (s.detail() != null) {
            details.put(extraDetail, s.detail());
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
        return definition.finding(context, passed ? ComplianceStatus.PASSED : ComplianceStatus.FAILED, s.arn(),
                s.region(), reason, s.tags(), details);
    }
}
