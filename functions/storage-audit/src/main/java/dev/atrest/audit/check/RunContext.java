package dev.atrest.audit.check;

import dev.atrest.audit.AuditConfig;
import java.time.Instant;

/**
 * The plain facts of one run that every evaluation may read: whose account, which partition, when, with which
 * settings. No AWS access: evaluations stay pure.
 */
public record RunContext(String accountId, String partition, Instant now, AuditConfig config) {

    /** The resource id of an account-level setting, as Security Hub names the account. */
    public String accountResource() {
        return "AWS::::Account:" + accountId;
    }
}
