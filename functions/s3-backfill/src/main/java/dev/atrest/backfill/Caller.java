package dev.atrest.backfill;

/**
 * Who runs this invocation: the function's own account and partition (from the invoked function ARN) and the Lambda
 * request id, which Lambda keeps across the retries of one asynchronous invocation.
 */
public record Caller(String account, String partition, String requestId) {}
