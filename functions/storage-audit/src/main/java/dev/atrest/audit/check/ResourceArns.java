package dev.atrest.audit.check;

import dev.atrest.core.aws.Arns;
import java.util.Optional;

/** The id a service's API takes, out of the ARN a finding names its resource by. */
final class ResourceArns {
    private ResourceArns() {}

    /**
     * {@code vol-1} out of {@code arn:aws:ec2:us-east-1:111122223333:volume/vol-1} for service {@code ec2} and prefix
     * {@code volume/}; empty when the text is no ARN of that service and resource type.
     */
    static Optional<String> id(String arn, String service, String prefix) {
        return Arns.parse(arn).filter(a -> a.service().equals(service))
                .map(a -> a.resourceAsString())
                .filter(r -> r.startsWith(prefix) && r.length() > prefix.length())
                .map(r -> r.substring(prefix.length()));
    }

    /** The region of an ARN; null when the text is no ARN or names no region. */
    static String region(String arn) {
        return Arns.region(arn);
    }
}
