package dev.atrest.audit.check;

/** Where a check's resources are listed, which decides how the audit service schedules it and scopes failures. */
public enum CheckReach {
    /**
     * Listed per region (DescribeVolumes, DescribeFileSystems): one task per audited region, whose failure fails
     * that region's scope only.
     */
    REGION,
    /**
     * Listed once for the account (ListBuckets answers for every region): a failed listing fails the check in every
     * audited region; each listed resource is then described on its own, concurrently, and a failure fails only its
     * region's scope.
     */
    ACCOUNT
}
