package dev.atrest.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/**
 * A plain Lambda context for invoking handlers in tests (the runtime's own exists only inside the runtime): the
 * function runs in account 123456789012, us-east-1, the emulator's defaults.
 */
public final class TestContext implements Context {
    public static final String ACCOUNT = "123456789012";

    private final String functionName;
    private final int remainingMillis;
    private final String requestId;

    public TestContext(String functionName) {
        this(functionName, 300_000);
    }

    public TestContext(String functionName, int remainingMillis) {
        this(functionName, remainingMillis, "test-request");
    }

    /** With the request id Lambda gives an invocation (and keeps for its retries). */
    public TestContext(String functionName, int remainingMillis, String requestId) {
        this.functionName = functionName;
        this.remainingMillis = remainingMillis;
        this.requestId = requestId;
    }

    @Override public String getAwsRequestId() { return requestId; }
    @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
    @Override public String getLogStreamName() { return "test"; }
    @Override public String getFunctionName() { return functionName; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:" + functionName;
    }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return remainingMillis; }
    @Override public int getMemoryLimitInMB() { return 1024; }
    @Override public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override public void log(String message) { System.out.print(message); }
            @Override public void log(byte[] message) { System.out.print(new String(message, java.nio.charset.StandardCharsets.UTF_8)); }
        };
    }
}
