package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.s3.Decision.Action;
import java.time.Instant;
import java.util.List;
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

    // ---- copies: every property the plan carried ---------------------------------------------------------------

    static final java.time.Instant UNTIL = java.time.Instant.parse("2030-01-01T00:00:00Z");
    static final ObjectAcl GRANTS = CopyPlannerTest.PUBLIC_READ;

    static ObjectState lockedBefore() {
        ObjectState b = before();
        return new ObjectState(b.bucket(), b.key(), b.versionId(), b.encryption(), b.kmsKeyId(), b.bucketKeyEnabled(),
                b.storageClass(), b.archiveStatus(), b.size(), b.etag(), b.lastModified(), "SHA256", "sha=",
                "FULL_OBJECT", 2, b.headers(), b.metadata(), b.website(), new ObjectLock("COMPLIANCE", UNTIL, true,
                false));
    }

    static ObjectState copyOf(ObjectState b, ObjectLock lock) {
        return new ObjectState(b.bucket(), b.key(), "v2", Encryption.SSE_KMS, TARGET, true, b.storageClass(), null,
                b.size(), "\"e2\"", b.lastModified(), b.checksumAlgorithm(), b.checksumValue(), b.checksumType(),
                b.tagCount(), b.headers(), b.metadata(), b.website(), lock);
    }

    static CopyPlan plan(Action method, Map<String, String> tags) {
        return new CopyPlan(method, GRANTS, new ObjectLock("COMPLIANCE", UNTIL, true, false), null, true, tags,
                null, null);
    }

    static Stream<Arguments> copies() {
        ObjectState b = lockedBefore();
        ObjectLock same = b.lock();
        Map<String, String> tags = Map.of("a", "1", "b", "2");
        ObjectAcl other = new ObjectAcl(GRANTS.owner(), List.of(GRANTS.grants().get(0)));
        return Stream.of(
                Arguments.of("everything kept", plan(Action.COPY, null), copyOf(b, same), null, GRANTS, null),
                Arguments.of("multipart, tags set", plan(Action.MULTIPART_COPY, tags), copyOf(b, same), tags, GRANTS,
                        null),
                Arguments.of("a longer retention is no loss", plan(Action.COPY, null), copyOf(b,
                        new ObjectLock("COMPLIANCE", UNTIL.plusSeconds(9), true, false)), null, GRANTS, null),
                Arguments.of("retention lost", plan(Action.COPY, null), copyOf(b, new ObjectLock(null, null, true,
                        false)), null, GRANTS, "Object Lock mode"),
                Arguments.of("legal hold lost", plan(Action.COPY, null), copyOf(b, new ObjectLock("COMPLIANCE", UNTIL,
                        false, false)), null, GRANTS, "legal hold OFF"),
                Arguments.of("a grant lost", plan(Action.COPY, null), copyOf(b, same), null, other,
                        "ACL grants changed"),
                Arguments.of("owner changed", plan(Action.COPY, null), copyOf(b, same), null,
                        new ObjectAcl("someone", GRANTS.grants()), "object owner changed"),
                Arguments.of("ACL not read", plan(Action.COPY, null), copyOf(b, same), null, null, "ACL not read"),
                Arguments.of("a tag value lost", plan(Action.MULTIPART_COPY, tags), copyOf(b, same),
                        Map.of("a", "1", "b", "x"), GRANTS, "tags changed"),
                Arguments.of("SHA256 lost", plan(Action.COPY, null), withChecksum(copyOf(b, same), null, null), null,
                        GRANTS, "checksum changed"),
                Arguments.of("metadata lost", plan(Action.COPY, null), withMetadata(copyOf(b, same), Map.of()), null,
                        GRANTS, "user metadata"));
    }

    static ObjectState withChecksum(ObjectState s, String algorithm, String value) {
        return new ObjectState(s.bucket(), s.key(), s.versionId(), s.encryption(), s.kmsKeyId(), s.bucketKeyEnabled(),
                s.storageClass(), s.archiveStatus(), s.size(), s.etag(), s.lastModified(), algorithm, value, null,
                s.tagCount(), s.headers(), s.metadata(), s.website(), s.lock());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("copies")
    void comparesEveryCarriedProperty(String name, CopyPlan plan, ObjectState after, Map<String, String> afterTags,
                                      ObjectAcl afterAcl, String expected) {
        var differences = WriteVerification.copyDifferences(lockedBefore(), plan, HeadResult.present(after),
                afterTags, afterAcl, TARGET, true);
        if (expected == null) {
            assertThat(differences).isEmpty();
        } else {
            assertThat(differences).anySatisfy(d -> assertThat(d).contains(expected));
        }
    }

    // ---- right before a write without versions: what changed since the read ----------------------------------

    static Stream<Arguments> changes() {
        ObjectState b = before();
        return Stream.of(
                Arguments.of("nothing", HeadResult.present(b), null),
                Arguments.of("content (ETag)", HeadResult.present(new ObjectState(b.bucket(), b.key(), b.versionId(),
                        b.encryption(), null, null, b.storageClass(), null, b.size(), "\"other\"", b.lastModified(),
                        b.checksumAlgorithm(), b.checksumValue(), b.checksumType(), b.tagCount(), b.headers(),
                        b.metadata(), b.website())), "ETag"),
                Arguments.of("metadata only, same ETag", HeadResult.present(withMetadata(b, Map.of("m", "2"))),
                        "user metadata changed"),
                Arguments.of("content type only", HeadResult.present(withHeaders(b, h ->
                        new ObjectState.ContentHeaders("image/png", null, null, null, "max-age=1", null))),
                        "Content-Type"),
                Arguments.of("storage class only", HeadResult.present(new ObjectState(b.bucket(), b.key(),
                        b.versionId(), b.encryption(), null, null, "GLACIER_IR", null, b.size(), b.etag(),
                        b.lastModified(), b.checksumAlgorithm(), b.checksumValue(), b.checksumType(), b.tagCount(),
                        b.headers(), b.metadata(), b.website())), "storage class"),
                Arguments.of("deleted", HeadResult.absent(HeadResult.Presence.MISSING), "MISSING"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("changes")
    void seesWritesThatKeepTheEtag(String name, HeadResult now, String expected) {
        var changes = WriteVerification.changesSince(before(), now, null, null);
        if (expected == null) {
            assertThat(changes).isEmpty();
        } else {
            assertThat(changes).anySatisfy(d -> assertThat(d).contains(expected));
            assertThat(String.join(" ", changes)).as("writers' values are not echoed").doesNotContain("image/png");
        }
    }

    @org.junit.jupiter.api.Test
    void aTagValueChangeIsSeenWhenTheTagsAreCompared() {
        assertThat(WriteVerification.changesSince(before(), HeadResult.present(before()), Map.of("a", "1"),
                Map.of("a", "2"))).containsExactly("tags changed");
    }
}
