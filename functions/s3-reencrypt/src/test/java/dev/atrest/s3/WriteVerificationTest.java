package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.s3.Decision.Action;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WriteVerificationTest {
    static final String TARGET = ObjectEncryptionPolicyTest.TARGET;
    static final ObjectState.ContentHeaders HEADERS =
            new ObjectState.ContentHeaders("text/plain", null, null, null, "max-age=1", null);

    static ObjectState before() {
        return new ObjectState("b", "k", "v1", Encryption.SSE_S3, null, null, "STANDARD_IA", null, 5, "\"e1\"",
                Instant.EPOCH, "CRC32", "AAAA", "FULL_OBJECT", 1, HEADERS, Map.of("m", "1"), "/r");
    }

    static ObjectState after(Encryption enc, String key, Boolean bk, long size, String etag, String checksum,
                             int tags) {
        return new ObjectState("b", "k", "v2", enc, key, bk, "STANDARD_IA", null, size, etag, Instant.EPOCH,
                checksum == null ? null : "CRC32", checksum,
                checksum == null ? null : "FULL_OBJECT", tags, HEADERS, Map.of("m", "1"), "/r");
    }

    static ObjectState good() {
        return after(Encryption.SSE_KMS, TARGET, true, 5, "\"e1\"", "AAAA", 1);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Action.UPDATE_ENCRYPTION, good(), null),
                Arguments.of(Action.COPY, after(Encryption.SSE_KMS, TARGET, true, 5, "\"e2\"", "AAAA", 1), null),
                Arguments.of(Action.MULTIPART_COPY, after(Encryption.SSE_KMS, TARGET, true, 5, "\"e2-1\"", "AAAA", 1),
                        null),
                Arguments.of(Action.MULTIPART_COPY, after(Encryption.SSE_KMS, TARGET, true, 5, "\"e2-1\"", null, 1),
                        "checksum changed"),
                Arguments.of(Action.UPDATE_ENCRYPTION, after(Encryption.SSE_KMS, TARGET, true, 5, "\"e2\"", "AAAA", 1),
                        "ETag changed"),
                Arguments.of(Action.UPDATE_ENCRYPTION, after(Encryption.SSE_S3, null, null, 5, "\"e1\"", "AAAA", 1),
                        "encryption is SSE_S3"),
                Arguments.of(Action.COPY, after(Encryption.SSE_KMS, TARGET + "x", true, 5, "\"e2\"", "AAAA", 1),
                        "expected SSE_KMS"),
                Arguments.of(Action.COPY, after(Encryption.SSE_KMS, TARGET, false, 5, "\"e2\"", "AAAA", 1),
                        "Bucket Key"),
                Arguments.of(Action.COPY, after(Encryption.SSE_KMS, TARGET, true, 4, "\"e2\"", "AAAA", 1),
                        "size changed"),
                Arguments.of(Action.COPY, after(Encryption.SSE_KMS, TARGET, true, 5, "\"e2\"", "BBBB", 1),
                        "checksum changed"),
                Arguments.of(Action.COPY, after(Encryption.SSE_KMS, TARGET, true, 5, "\"e2\"", null, 1),
                        "checksum changed"),
                Arguments.of(Action.COPY, after(Encryption.SSE_KMS, TARGET, true, 5, "\"e2\"", "AAAA", 0),
                        "tag count"),
                Arguments.of(Action.MULTIPART_COPY, new ObjectState("b", "k", "v2", Encryption.SSE_KMS, TARGET, true,
                        "STANDARD", null, 5, "\"e\"", Instant.EPOCH, "CRC32", "AAAA", "FULL_OBJECT", 1, HEADERS, Map.of("m", "1"), "/r"),
                        "storage class"),
                Arguments.of(Action.COPY, withMetadata(good(), Map.of()), "user metadata"),
                Arguments.of(Action.COPY, withHeaders(good(), h -> new ObjectState.ContentHeaders("x/y", null, null,
                        null, "max-age=1", null)), "system metadata"));
    }

    static ObjectState withMetadata(ObjectState s, Map<String, String> metadata) {
        return new ObjectState(s.bucket(), s.key(), s.versionId(), s.encryption(), s.kmsKeyId(), s.bucketKeyEnabled(),
                s.storageClass(), s.archiveStatus(), s.size(), s.etag(), s.lastModified(), s.checksumAlgorithm(),
                s.checksumValue(), s.checksumType(), s.tagCount(), s.headers(), metadata, s.website());
    }

    static ObjectState withHeaders(ObjectState s, UnaryOperator<ObjectState.ContentHeaders> change) {
        return new ObjectState(s.bucket(), s.key(), s.versionId(), s.encryption(), s.kmsKeyId(), s.bucketKeyEnabled(),
                s.storageClass(), s.archiveStatus(), s.size(), s.etag(), s.lastModified(), s.checksumAlgorithm(),
                s.checksumValue(), s.checksumType(), s.tagCount(), change.apply(s.headers()), s.metadata(), s.website());
    }

    @ParameterizedTest(name = "[{index}] {0} -> {2}")
    @MethodSource("cases")
    void findsEveryDifference(Action method, ObjectState after, String expected) {
        var differences = WriteVerification.differences(before(), HeadResult.present(after), method, TARGET, true);
        if (expected == null) {
            assertThat(differences).isEmpty();
        } else {
            assertThat(differences).anySatisfy(d -> assertThat(d).contains(expected));
        }
    }

    @ParameterizedTest(name = "composite {0} checksum before a multipart copy is not compared")
    @org.junit.jupiter.params.provider.CsvSource({"SHA256, COMPOSITE, abc=", "CRC32, COMPOSITE, abc=-3",
        "CRC32, , abc=-3"})
    void compositeChecksumsAreNotComparedAfterAMultipartCopy(String algorithm, String type, String value) {
        ObjectState b = before();
        ObjectState composite = new ObjectState(b.bucket(), b.key(), b.versionId(), b.encryption(), b.kmsKeyId(),
                b.bucketKeyEnabled(), b.storageClass(), b.archiveStatus(), b.size(), b.etag(), b.lastModified(),
                algorithm, value, type, b.tagCount(), b.headers(), b.metadata(), b.website());
        ObjectState after = after(Encryption.SSE_KMS, TARGET, true, 5, "\"e2-1\"", null, 1);
        assertThat(WriteVerification.differences(composite, HeadResult.present(after), Action.MULTIPART_COPY, TARGET,
                true)).isEmpty();
        assertThat(WriteVerification.differences(composite, HeadResult.present(after), Action.COPY, TARGET, true))
                .anySatisfy(d -> assertThat(d).contains("checksum changed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("absences")
    void anUnreadableObjectAfterTheWriteIsADifference(HeadResult.Presence presence) {
        assertThat(WriteVerification.differences(before(), HeadResult.absent(presence), Action.COPY, TARGET, true))
                .singleElement().asString().contains(presence.name());
    }

    static Stream<HeadResult.Presence> absences() {
        return Stream.of(HeadResult.Presence.MISSING, HeadResult.Presence.DELETE_MARKER,
                HeadResult.Presence.CUSTOMER_KEY_REQUIRED);
    }
}
