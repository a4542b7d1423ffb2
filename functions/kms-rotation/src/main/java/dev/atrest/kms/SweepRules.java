package dev.atrest.kms;

import java.util.Set;

/** The sweep's own decisions about its evidence, apart from the rotation policy. Pure. */
final class SweepRules {
    private SweepRules() {}

    /** Where a key's exempt tag was read. */
    enum TagSource {
        /** ListResourceTags on the key itself. */
        KEY,
        /** The Region's bulk read (GetResources): eventually consistent, so a tag set seconds ago may be missing. */
        BULK
    }

    /**
     * Whether the key's own tags must be read before acting on {@code decision}. The exempt tag means "never change
     * this key", so an answer of "not exempt" that a write would rest on must be the key's own: a bulk answer may be
     * stale. A stale "exempt" needs no check (the key is left alone and the next sweep sees the tag gone), and a dry
     * run writes nothing, so its report rests on the bulk read.
     */
    static boolean mustConfirmExemption(RotationDecision decision, TagSource source, boolean dryRun) {
        return decision.action().writes() && source == TagSource.BULK && !dryRun;
    }

    /**
     * Whether a multi-Region replica found by the sweep is left to its primary's own Region: when this sweep covers
     * that Region too, the primary is evaluated there, and following it from here would evaluate it twice.
     */
    static boolean primarySweptInItsRegion(KeyFacts replica, Set<String> sweptRegions) {
        return replica.primaryRegion() != null && replica.primaryArn() != null
                && !replica.primaryRegion().equals(replica.region()) && sweptRegions.contains(replica.primaryRegion());
    }

    /**
     * Whether an alias name is one KMS reserves for AWS managed keys: "The alias/aws/ prefix is reserved for AWS
     * managed keys", and no customer managed key can carry such an alias. Exact, so a near miss ("alias/AWS/x",
     * "alias/awsome") only costs the key a DescribeKey, never a wrong skip.
     */
    static boolean reservedForAwsManagedKeys(String aliasName) {
        return aliasName != null && aliasName.startsWith(AWS_MANAGED_ALIAS_PREFIX)
                && aliasName.length() > AWS_MANAGED_ALIAS_PREFIX.length();
    }

    static final String AWS_MANAGED_ALIAS_PREFIX = "alias/aws/";
}
