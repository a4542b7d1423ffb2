package dev.atrest.core.findings;

/** Outcome of one check on one resource, named as in ASFF {@code Compliance.Status}. */
public enum ComplianceStatus {
    PASSED,
    FAILED
}
