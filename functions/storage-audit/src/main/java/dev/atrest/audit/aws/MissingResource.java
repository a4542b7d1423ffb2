package dev.atrest.audit.aws;

import dev.atrest.core.aws.AwsFailure;
import java.util.Optional;
import java.util.function.Supplier;

/** A read of one named resource, where a resource that does not exist is an answer, not a failure. */
final class MissingResource {
    private MissingResource() {}

    /**
     * The resource {@code read} finds, or empty when the service says there is none (InvalidVolume.NotFound,
     * FileSystemNotFound, NoSuchBucket: {@link AwsFailure.Kind#NOT_FOUND}); every other failure is thrown.
     */
    static <T> Optional<T> emptyIfNotFound(Supplier<Optional<T>> read) {
        try {
            return read.get();
        } catch (AwsFailure f) {
            if (f.kind() == AwsFailure.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw f;
        }
    }
}
