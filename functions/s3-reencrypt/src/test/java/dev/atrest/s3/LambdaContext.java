package dev.atrest.s3;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/** A plain Lambda context for invoking the handler in tests (the runtime's own is not available here). */
final class LambdaContext implements Context {
    private final int remainingMillis;

    LambdaContext() {
        this(300_000);
    }

    LambdaContext(int remainingMillis) {
        this.remainingMillis = remainingMillis;
    }

    @Override public String getAwsRequestId() { return "test-request"; }
    @Override public String getLogGroupName() { return "/aws/lambda/S3ReencryptFunction"; }
    @Override public String getLogStreamName() { return "test"; }
    @Override public String getFunctionName() { return "S3ReencryptFunction"; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:123456789012:function:S3ReencryptFunction";
    }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return remainingMillis; }
    @Override public int getMemoryLimitInMB() { return 1024; }
    @Override public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override public void log(String message) { System.out.print(message); }
            @Override public void log(byte[] message) { System.out.print(new String(message)); }
        };
    }
}
