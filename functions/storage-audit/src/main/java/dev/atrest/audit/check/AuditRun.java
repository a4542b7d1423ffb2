package dev.atrest.audit.check;

/**
 * One run as the checks' reads see it: its {@link RunContext}, the key directory every check shares (DescribeKey
 * once per key and region per run) and the facts checks give each other.
 */
public record AuditRun(RunContext context, KeyDirectory keys, RunFacts facts) {}
