package dev.atrest.audit.check;

/**
 * REQUIRE_CUSTOMER_MANAGED_KEY, the same for every check: data encrypted under a key must be under a customer
 * managed one. An AWS managed key fails it, and so does a key whose manager could not be read (denied, deleted,
 * cross-account): an unverifiable key is reported as such, never passed.
 */
final class CustomerManagedKeyRule {
    private CustomerManagedKeyRule() {}

    /**
     * Why {@code what}, encrypted under {@code keyId} managed by {@code manager}, breaks the rule; null when it does
     * not (or the rule is off).
     */
    static String unmet(RunContext context, String what, String keyId, KeyManager manager) {
        if (!context.config().requireCustomerManagedKey() || manager == KeyManager.CUSTOMER) {
            return null;
        }
        if (manager == KeyManager.AWS) {
            return what + " uses the AWS managed key " + (keyId == null ? "" : keyId + " ")
                    + "(a customer managed key is required)";
        }
        return what + " uses " + (keyId == null ? "a key" : keyId)
                + ", which could not be verified as customer managed";
    }

    /** Who manages {@code keyId}, when the rule is on and the resource is encrypted; null otherwise. */
    static KeyManager lookUp(AuditRun run, String region, boolean encrypted, String keyId) {
        if (!encrypted || !run.context().config().requireCustomerManagedKey()) {
            return null;
        }
        KeyManager manager = run.keys().manager(region, keyId);
        // Encrypted under no key it names: nothing tells who manages it.
        return manager == null ? KeyManager.UNKNOWN : manager;
    }
}
