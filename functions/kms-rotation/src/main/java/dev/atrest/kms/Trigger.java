package dev.atrest.kms;

/** What an invocation was asked to do. */
public sealed interface Trigger {
    /** Reconcile every key of the function's region. */
    record Sweep(String source) implements Trigger {}

    /** React to one KMS API call recorded by CloudTrail. */
    record KeyEvent(KeyApiCall call) implements Trigger {}
}
