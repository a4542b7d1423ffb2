package dev.atrest.core.findings;

/** Severity labels as AWS Security Hub names them (ASFF {@code Severity.Label}), so every sink speaks one scale. */
public enum Severity {
    INFORMATIONAL,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL
}
