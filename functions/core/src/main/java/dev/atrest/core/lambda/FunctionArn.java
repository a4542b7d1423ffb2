package dev.atrest.core.lambda;

/** What a Lambda function ARN ({@code arn:aws:lambda:region:account:function:name[:qualifier]}) says. */
public final class FunctionArn {
    private FunctionArn() {}

    /** The function's account, or null when the ARN is missing or not a function ARN. */
    public static String account(String functionArn) {
        if (functionArn == null) {
            return null;
        }
        String[] parts = functionArn.split(":");
        return parts.length >= 7 && "function".equals(parts[5]) && parts[4].matches("\\d{12}") ? parts[4] : null;
    }
}
