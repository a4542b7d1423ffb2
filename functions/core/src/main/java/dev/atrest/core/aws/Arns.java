package dev.atrest.core.aws;

import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.arns.Arn;

/**
 * ARNs from configuration and events, read with the SDK's {@link Arn}. Text that is not an ARN of a known shape
 * (partition {@code aws} or {@code aws-*}, a 12-digit account when there is one) is no ARN at all: callers treat it
 * as absent, never as a value to split.
 */
public final class Arns {
    private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    private Arns() {}

    public static Optional<Arn> parse(String text) {
        return parseAnyShape(text)
                .filter(a -> PARTITION.matcher(a.partition()).matches())
                .filter(a -> a.accountId().map(id -> ACCOUNT.matcher(id).matches()).orElse(true));
    }

    /**
     * Whatever ARN the text is, well-formed or not (for scope checks, which compare what an event claims). The SDK's
     * {@code tryFromString} still throws on an empty partition, service or resource: that is no ARN either.
     */
    public static Optional<Arn> parseAnyShape(String text) {
        if (text == null || !text.startsWith("arn:")) {
            return Optional.empty();
        }
        try {
            return Arn.tryFromString(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** True when the ARN names an account (S3 bucket ARNs, for example, do not). */
    public static boolean hasAccount(Arn arn) {
        return arn.accountId().isPresent();
    }

    /** The region of an ARN, or null when the text is no ARN or the ARN has no region. */
    public static String region(String text) {
        return parse(text).flatMap(Arn::region).orElse(null);
    }

    /** The account of an ARN, or null when the text is no ARN or the ARN has no account. */
    public static String account(String text) {
        return parse(text).flatMap(Arn::accountId).orElse(null);
    }
}
