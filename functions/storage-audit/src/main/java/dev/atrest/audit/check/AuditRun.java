package dev.atrest.audit.check;

/**
 * One run as the checks' reads see it: its {@link RunContext}, the key directory every check shares (DescribeKey
 * once per key and region per run), the facts checks give each other and the reads they share.
 */
public record AuditRun(RunContext context, KeyDirectory keys, RunFacts facts, RunReads reads) {

    public AuditRun(RunContext context, KeyDirectory keys, RunFacts facts) {
        this(context, keys, facts, new RunReads());
    }
}
