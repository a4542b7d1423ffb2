package dev.atrest.s3;

import dev.atrest.core.aws.AwsFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.s3.Decision.Action;
import dev.atrest.s3.HeadResult.Presence;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based (jqwik): the pure policy never decides a write for an object that is already compliant, and never decides
 * a copy (directly, or as the fallback after a rejected UpdateObjectEncryption) for SSE-C, DSSE-KMS, unknown
 * encryption, delete markers or missing objects.
 */
class ObjectEncryptionPolicyPropertiesTest {
    static final String TARGET = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111";
    static final String ALLOWED = "arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222";
    static final String OTHER = "arn:aws:kms:us-east-1:123456789012:key/33333333-3333-3333-3333-333333333333";

    record Case(ObjectEncryptionPolicy policy, boolean bucketKeyWanted, HeadResult head) {}

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<ObjectState> states = Combinators.combine(
                Arbitraries.of(Encryption.values()),
                Arbitraries.of(TARGET, ALLOWED, OTHER, TARGET + "-other", TARGET.substring(0, 40), "alias/atrest")
                        .injectNull(0.1),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE).injectNull(0.2),
                Arbitraries.of("STANDARD", "STANDARD_IA", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR",
                        "INTELLIGENT_TIERING", "UNKNOWN_TO_SDK_VERSION").injectNull(0.1),
                Arbitraries.of("ARCHIVE_ACCESS", "DEEP_ARCHIVE_ACCESS", "").injectNull(0.8),
                Arbitraries.longs().between(0, 6L * 1024 * 1024 * 1024),
                Arbitraries.strings().alpha().ofMaxLength(6).injectNull(0.3))
                .as((enc, key, bucketKey, storage, archive, size, version) -> new ObjectState("b", "k", version, enc,
                        key, bucketKey, storage, archive, size, "\"etag\"", Instant.EPOCH, null, null, null, 0, null,
                        Map.of(), null));
        Arbitrary<HeadResult> heads = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, states.map(HeadResult::present)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Presence.MISSING, Presence.DELETE_MARKER,
                        Presence.CUSTOMER_KEY_REQUIRED).map(HeadResult::absent)));
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(ReencryptMethod.values()),
                        Arbitraries.longs().between(1, ReencryptConfig.MAX_SINGLE_COPY_BYTES), heads)
                .as((bucketKey, method, threshold, head) -> new Case(new ObjectEncryptionPolicy(TARGET,
                        Set.of(ALLOWED), bucketKey, method, threshold), bucketKey, head));
    }

    static boolean compliant(Case c) {
        ObjectState s = c.head().state();
        if (s == null || s.encryption() != Encryption.SSE_KMS) {
            return false;
        }
        return ALLOWED.equals(s.kmsKeyId())
                || TARGET.equals(s.kmsKeyId()) && (!c.bucketKeyWanted() || Boolean.TRUE.equals(s.bucketKeyEnabled()));
    }

    static boolean neverCopied(HeadResult head) {
        return head.presence() != Presence.PRESENT || Set.of(Encryption.SSE_C, Encryption.DSSE_KMS,
                Encryption.UNKNOWN).contains(head.state().encryption());
    }

    @Property(tries = 3000)
    void aCompliantObjectIsNeverWritten(@ForAll("cases") Case c) {
        Decision d = c.policy().decide(c.head());
        Statistics.collect(d.action());
        if (compliant(c)) {
            assertThat(d.action()).as(c.toString()).isEqualTo(Action.COMPLIANT);
        }
        if (d.action() == Action.COMPLIANT) {
            assertThat(compliant(c)).as("COMPLIANT only when compliant: " + c).isTrue();
        }
    }

    @Property(tries = 3000)
    void sseCDsseUnknownDeleteMarkersAndMissingObjectsAreNeverCopiedOrUpdated(@ForAll("cases") Case c) {
        Decision d = c.policy().decide(c.head());
        if (neverCopied(c.head())) {
            assertThat(d.action()).as(c.toString()).isEqualTo(Action.SKIP);
            if (c.head().state() != null) {
                for (AwsFailure.Kind kind : AwsFailure.Kind.values()) {
                    assertThat(c.policy().afterUpdateRejected(c.head().state(), kind, "x")).isNull();
                }
            }
        }
    }

    @Property(tries = 2000)
    void aCopyIsNeverDecidedForArchivedObjectsAndTheFallbackCopiesOnlyInAutoMode(@ForAll("cases") Case c) {
        Decision d = c.policy().decide(c.head());
        ObjectState s = c.head().state();
        if (d.action() == Action.COPY || d.action() == Action.MULTIPART_COPY) {
            assertThat(s.archived()).isFalse();
            assertThat(d.action() == Action.MULTIPART_COPY).isEqualTo(s.size() > thresholdOf(c));
        }
        if (d.action() == Action.UPDATE_ENCRYPTION) {
            for (AwsFailure.Kind kind : AwsFailure.Kind.values()) {
                Decision fallback = c.policy().afterUpdateRejected(s, kind, "x");
                if (fallback != null && fallback.action() != Action.SKIP) {
                    assertThat(kind).isEqualTo(AwsFailure.Kind.UNSUPPORTED);
                    assertThat(s.archived()).isFalse();
                }
            }
        }
    }

    private static long thresholdOf(Case c) {
        try {
            var field = ObjectEncryptionPolicy.class.getDeclaredField("multipartThresholdBytes");
            field.setAccessible(true);
            return field.getLong(c.policy());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unused")
    private static Arbitrary<Object> unused() {
        return Builders.withBuilder(Object::new).build();
    }
}
