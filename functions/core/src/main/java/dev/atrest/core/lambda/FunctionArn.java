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
        return isFunctionArn(parts) ? parts[4] : null;
    }

    /**
     * The function's partition ({@code aws}, {@code aws-cn}, {@code aws-us-gov}, ...), or null when the ARN is
     * missing or not a function ARN.
     */
    public static String partition(String functionArn) {
        if (functionArn == null) {
            return null;
        }
        String[] parts = functionArn.split(":");
        return isFunctionArn(parts) ? parts[1] : null;
    }

    private static boolean isFunctionArn(String[] parts) {
        return parts.length >= 7 && "arn".equals(parts[0]) && parts[1].matches("aws(-[a-z]+)*")
                && "lambda".equals(parts[2]) && "function".equals(parts[5]) && parts[4].matches("\\d{12}");
    }
}
