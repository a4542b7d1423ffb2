package dev.atrest.core.findings;

/** A scope that could not be audited, with the failure class ({@code ACCESS_DENIED}, {@code RETRYABLE}...) and why. */
public record ScopeFailure(FindingScope scope, String outcome, String message) {}
