package dev.atrest.core.findings;

/**
 * One check in one region: the unit that either completed or failed. Only findings of a completed scope may be
 * resolved, because a scope that failed (access denied, throttled) says nothing about whether its resources
 * became compliant.
 */
public record FindingScope(String region, String checkId) {
    public static FindingScope of(Finding finding) {
        return new FindingScope(finding.region(), finding.checkId());
    }
}
