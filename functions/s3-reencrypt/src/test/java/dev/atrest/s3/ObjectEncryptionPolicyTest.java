package dev.atrest.s3;

import dev.atrest.core.aws.AwsFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.s3.Decision.Action;
import dev.atrest.s3.HeadResult.Presence;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ObjectEncryptionPolicyTest {
    static final String TARGET = "arn:aws:kms:us-east-1:123456789012:key/1111aaaa-0000-0000-0000-000000000001";
    static final String ALLOWED = "arn:aws:kms:us-east-1:123456789012:key/2222bbbb-0000-0000-0000-000000000002";
    static final String OTHER = "arn:aws:kms:us-east-1:123456789012:key/3333cccc-0000-0000-0000-000000000003";
    static final long THRESHOLD = 100;

    static ObjectState object(Encryption encryption, String key, Boolean bucketKey, String storageClass,
                              String archiveStatus, long size) {
        return new ObjectState("b", "k", null, encryption, key, bucketKey, storageClass, archiveStatus, size,
                "\"etag\"", Instant.EPOCH, null, null, null, 0, null, Map.of(), null);
    }

    static HeadResult present(Encryption encryption, String key, Boolean bucketKey) {
        return HeadResult.present(object(encryption, key, bucketKey, "STANDARD", null, 10));
    }

    static HeadResult stored(Encryption encryption, String storageClass, String archiveStatus, long size) {
        return HeadResult.present(object(encryption, null, null, storageClass, archiveStatus, size));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // head, method, expected action, reason fragment
                Arguments.of(present(Encryption.SSE_KMS, TARGET, true), ReencryptMethod.AUTO, Action.COMPLIANT,
                        "target key"),
                Arguments.of(present(Encryption.SSE_KMS, TARGET, true), ReencryptMethod.COPY, Action.COMPLIANT,
                        "target key"),
                Arguments.of(present(Encryption.SSE_KMS, ALLOWED, false), ReencryptMethod.AUTO, Action.COMPLIANT,
                        "allow-listed"),
                Arguments.of(present(Encryption.SSE_KMS, TARGET, false), ReencryptMethod.AUTO,
                        Action.UPDATE_ENCRYPTION, "without an S3 Bucket Key"),
                Arguments.of(present(Encryption.SSE_KMS, TARGET, null), ReencryptMethod.AUTO,
                        Action.UPDATE_ENCRYPTION, "without an S3 Bucket Key"),
                // Substrings and prefixes of the target ARN are other keys.
                Arguments.of(present(Encryption.SSE_KMS, TARGET + "-other", true), ReencryptMethod.AUTO,
                        Action.UPDATE_ENCRYPTION, "another key"),
                Arguments.of(present(Encryption.SSE_KMS, TARGET.substring(0, TARGET.length() - 1), true),
                        ReencryptMethod.AUTO, Action.UPDATE_ENCRYPTION, "another key"),
                Arguments.of(present(Encryption.SSE_KMS, "1111aaaa-0000-0000-0000-000000000001", true),
                        ReencryptMethod.AUTO, Action.UPDATE_ENCRYPTION, "another key"),
                Arguments.of(present(Encryption.SSE_KMS, OTHER, true), ReencryptMethod.UPDATE,
                        Action.UPDATE_ENCRYPTION, "another key"),
                Arguments.of(present(Encryption.SSE_KMS, OTHER, true), ReencryptMethod.COPY, Action.COPY,
                        "in-place copy"),
                Arguments.of(present(Encryption.SSE_S3, null, null), ReencryptMethod.AUTO, Action.UPDATE_ENCRYPTION,
                        "SSE-S3"),
                Arguments.of(present(Encryption.SSE_S3, null, null), ReencryptMethod.COPY, Action.COPY, "SSE-S3"),
                Arguments.of(present(Encryption.NONE, null, null), ReencryptMethod.AUTO, Action.COPY, "unencrypted"),
                Arguments.of(present(Encryption.NONE, null, null), ReencryptMethod.UPDATE, Action.SKIP,
                        "never copies"),
                Arguments.of(stored(Encryption.NONE, "STANDARD", null, THRESHOLD + 1), ReencryptMethod.AUTO,
                        Action.MULTIPART_COPY, "multipart"),
                Arguments.of(stored(Encryption.NONE, "STANDARD", null, THRESHOLD), ReencryptMethod.AUTO, Action.COPY,
                        "in-place copy"),
                Arguments.of(stored(Encryption.NONE, "STANDARD", null, 0), ReencryptMethod.AUTO, Action.COPY,
                        "in-place copy"),
                Arguments.of(stored(Encryption.SSE_S3, "DEEP_ARCHIVE", null, 10), ReencryptMethod.AUTO,
                        Action.UPDATE_ENCRYPTION, "SSE-S3"),
                Arguments.of(stored(Encryption.SSE_S3, "GLACIER", null, 10), ReencryptMethod.UPDATE,
                        Action.UPDATE_ENCRYPTION, "SSE-S3"),
                Arguments.of(stored(Encryption.SSE_S3, "GLACIER", null, 10), ReencryptMethod.COPY, Action.SKIP,
                        "restore"),
                Arguments.of(stored(Encryption.NONE, "DEEP_ARCHIVE", null, 10), ReencryptMethod.AUTO, Action.SKIP,
                        "restore"),
                Arguments.of(stored(Encryption.NONE, "INTELLIGENT_TIERING", "ARCHIVE_ACCESS", 10),
                        ReencryptMethod.AUTO, Action.SKIP, "restore"),
                Arguments.of(stored(Encryption.NONE, "GLACIER_IR", null, 10), ReencryptMethod.AUTO, Action.COPY,
                        "in-place copy"),
                Arguments.of(present(Encryption.SSE_C, null, null), ReencryptMethod.AUTO, Action.SKIP, "SSE-C"),
                Arguments.of(present(Encryption.DSSE_KMS, TARGET, null), ReencryptMethod.AUTO, Action.SKIP,
                        "DSSE-KMS"),
                Arguments.of(present(Encryption.UNKNOWN, null, null), ReencryptMethod.COPY, Action.SKIP, "unknown"),
                Arguments.of(HeadResult.absent(Presence.MISSING), ReencryptMethod.AUTO, Action.SKIP,
                        "no longer exists"),
                Arguments.of(HeadResult.absent(Presence.DELETE_MARKER), ReencryptMethod.AUTO, Action.SKIP,
                        "delete marker"),
                Arguments.of(HeadResult.absent(Presence.CUSTOMER_KEY_REQUIRED), ReencryptMethod.COPY, Action.SKIP,
                        "SSE-C"));
    }

    @ParameterizedTest(name = "[{index}] {1} {0} -> {2}")
    @MethodSource("cases")
    void decides(HeadResult head, ReencryptMethod method, Action expected, String reason) {
        ObjectEncryptionPolicy policy = new ObjectEncryptionPolicy(TARGET, Set.of(ALLOWED), true, method, THRESHOLD);
        Decision decision = policy.decide(head);
        assertThat(decision.action()).isEqualTo(expected);
        assertThat(decision.reason()).contains(reason);
    }

    static HeadResult locked(Encryption encryption, ObjectLock lock) {
        return HeadResult.present(new ObjectState("b", "k", "v1", encryption, null, null, "STANDARD", null, 10,
                "\"etag\"", Instant.EPOCH, null, null, null, 0, null, Map.of(), null, lock));
    }

    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    static Stream<Arguments> lockCases() {
        ObjectLock retention = new ObjectLock("COMPLIANCE", NOW.plusSeconds(60), false, false);
        ObjectLock ended = new ObjectLock("COMPLIANCE", NOW.minusSeconds(60), false, false);
        ObjectLock hold = new ObjectLock(null, null, true, false);
        return Stream.of(
                // UpdateObjectEncryption refuses locked versions: a new, equally locked version is the only way.
                Arguments.of(locked(Encryption.SSE_S3, retention), ReencryptMethod.AUTO, Action.COPY,
                        "UpdateObjectEncryption refuses"),
                Arguments.of(locked(Encryption.SSE_KMS, hold), ReencryptMethod.AUTO, Action.COPY, "legal hold"),
                Arguments.of(locked(Encryption.SSE_S3, ended), ReencryptMethod.AUTO, Action.UPDATE_ENCRYPTION,
                        "SSE-S3"),
                Arguments.of(locked(Encryption.SSE_S3, retention), ReencryptMethod.UPDATE, Action.SKIP,
                        "never copies"),
                Arguments.of(locked(Encryption.SSE_S3, retention), ReencryptMethod.COPY, Action.COPY, "in-place copy"),
                Arguments.of(locked(Encryption.NONE, hold), ReencryptMethod.AUTO, Action.COPY, "unencrypted"));
    }

    @ParameterizedTest(name = "[{index}] {1} locked {0} -> {2}")
    @MethodSource("lockCases")
    void lockedObjectsAreCopiedNotUpdated(HeadResult head, ReencryptMethod method, Action expected, String reason) {
        ObjectEncryptionPolicy policy = new ObjectEncryptionPolicy(TARGET, Set.of(), true, method, THRESHOLD);
        Decision decision = policy.decide(head, NOW);
        assertThat(decision.action()).isEqualTo(expected);
        assertThat(decision.reason()).contains(reason);
    }

    @ParameterizedTest(name = "bucket key not wanted: target key without one is compliant")
    @CsvSource({"true", "false"})
    void bucketKeyOnlyMattersWhenWanted(boolean present) {
        ObjectEncryptionPolicy policy = new ObjectEncryptionPolicy(TARGET, Set.of(), false, ReencryptMethod.AUTO,
                THRESHOLD);
        assertThat(policy.decide(present(Encryption.SSE_KMS, TARGET, present)).action()).isEqualTo(Action.COMPLIANT);
    }

    @ParameterizedTest(name = "[{index}] {0} after {1} -> {2}")
    @CsvSource({
        "AUTO,   UNSUPPORTED,         COPY",
        "AUTO,   ACCESS_DENIED,",
        "AUTO,   RETRYABLE,",
        "AUTO,   PRECONDITION_FAILED,",
        "AUTO,   NOT_FOUND,",
        "AUTO,   INVALID,",
        "UPDATE, UNSUPPORTED,",
    })
    void fallsBackToCopyOnlyWhereUpdateDoesNotApply(ReencryptMethod method, AwsFailure.Kind failure, Action expected) {
        ObjectEncryptionPolicy policy = new ObjectEncryptionPolicy(TARGET, Set.of(), true, method, THRESHOLD);
        ObjectState state = object(Encryption.SSE_S3, null, null, "STANDARD", null, 10);
        Decision fallback = policy.afterUpdateRejected(state, failure, "x");
        assertThat(fallback == null ? null : fallback.action()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "copy of {0} when {1} is current: {2}")
    @CsvSource({
        ",   ,   true",
        ",   v2, true",
        "v1, v1, true",
        "v1, v2, false",
        "v1, ,   false",
        "null, , true",
        "null, v2, false",
    })
    void copiesOnlyTheCurrentVersion(String version, String current, boolean allowed) {
        assertThat(ObjectEncryptionPolicy.copyAllowed(version, current)).isEqualTo(allowed);
    }
}
