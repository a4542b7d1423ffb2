package dev.atrest.audit.check;

import dev.atrest.audit.AuditConfig;
import java.time.Instant;

/** The run context of the evaluation tables: a fixed account and time, customer managed keys required or not. */
final class Evaluations {
    static final String ACCOUNT = "123456789012";
    static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");

    private Evaluations() {}

    static RunContext context(boolean requireCustomerManagedKey) {
        return new RunContext(ACCOUNT, "aws", NOW,
                AuditConfig.builder().requireCustomerManagedKey(requireCustomerManagedKey).build());
    }
}
