package dev.atrest.core.lambda;

import dev.atrest.core.aws.Arns;
import java.util.Optional;
import software.amazon.awssdk.arns.Arn;

/** What a Lambda function ARN ({@code arn:aws:lambda:region:account:function:name[:qualifier]}) says. */
public final class FunctionArn {
    private FunctionArn() {}

    /** The function's account, or null when the ARN is missing or not a function ARN. */
    public static String account(String functionArn) {
        return parse(functionArn).flatMap(Arn::accountId).orElse(null);
    }

    /**
     * The function's partition ({@code aws}, {@code aws-cn}, {@code aws-us-gov}, ...), or null when the ARN is
     * missing or not a function ARN.
     */
    public static String partition(String functionArn) {
        return parse(functionArn).map(Arn::partition).orElse(null);
    }

    private static Optional<Arn> parse(String functionArn) {
        return Arns.parse(functionArn)
                .filter(a -> "lambda".equals(a.service()) && Arns.hasAccount(a)
                        && a.resource().resourceType().filter("function"::equals).isPresent()
                        && !a.resource().resource().isEmpty());
    }
}
