package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.s3.Decision.Action;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the copy path carries over for each property an object can have, and where it refuses. */
class CopyPlannerTest {
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    static final String OWNER = "owner-canonical-id";
    static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    static final long GIB = 1024L * 1024 * 1024;
    static final ObjectAcl PRIVATE = new ObjectAcl(OWNER, List.of(new ObjectAcl.Grant("id", OWNER, "FULL_CONTROL")));
    static final ObjectAcl PUBLIC_READ = new ObjectAcl(OWNER, List.of(new ObjectAcl.Grant("id", OWNER,
            "FULL_CONTROL"), new ObjectAcl.Grant("uri", ALL_USERS, "READ")));

    static ObjectState object(UnaryOperator<Builder> change) {
        return change.apply(new Builder()).build();
    }

    /** An object of 10 bytes, no checksum, no tags, no lock; each case changes what it is about. */
    static final class Builder {
        long size = 10;
        String algorithm;
        String value;
        String type;
        int tags;
        ObjectLock lock = ObjectLock.NONE;

        Builder size(long v) {
            size = v;
            return this;
        }

        Builder checksum(String a, String v, String t) {
            algorithm = a;
            value = v;
            type = t;
            return this;
        }

        Builder tags(int n) {
            tags = n;
            return this;
        }

        Builder lock(ObjectLock l) {
            lock = l;
            return this;
        }

        java.util.Set<String> undecodable = java.util.Set.of();

        Builder undecodable(String header) {
            undecodable = java.util.Set.of(header);
            return this;
        }

        ObjectState build() {
            return new ObjectState("b", "k", "v1", Encryption.SSE_S3, null, null, "STANDARD_IA", null, size, "\"e\"",
                    NOW.minusSeconds(60), algorithm, value, type, tags, null, Map.of("m", "1"), "/r", lock,
                    undecodable);
        }
    }

    record Case(String name, ObjectState object, Action decided, ObjectAcl acl, String bucketOwner,
                Map<String, String> tags, Action method, String refusal, String expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, ObjectState object, Action decided, ObjectAcl acl, Map<String, String> tags,
                  Action method, String refusal, String expect) {
        return new Case(name, object, decided, acl, OWNER, tags, method, refusal, expect);
    }

    static Stream<Case> cases() {
        Instant later = NOW.plusSeconds(86_400);
        return Stream.of(
                // ACL grants
                c("private ACL: nothing to carry", object(b -> b), Action.COPY, PRIVATE, null, Action.COPY, null,
                        "grants=none"),
                c("public-read: every grant carried, owner's included", object(b -> b), Action.COPY, PUBLIC_READ,
                        null, Action.COPY, null, "grants=2"),
                c("explicit READ_ACP grant carried", object(b -> b), Action.MULTIPART_COPY, new ObjectAcl(OWNER,
                        List.of(new ObjectAcl.Grant("id", OWNER, "FULL_CONTROL"),
                                new ObjectAcl.Grant("id", "reader", "READ_ACP"))), null, Action.MULTIPART_COPY, null,
                        "grants=2"),
                new Case("another account's object", object(b -> b), Action.COPY, new ObjectAcl("writer",
                        List.of(new ObjectAcl.Grant("id", "writer", "FULL_CONTROL"),
                                new ObjectAcl.Grant("id", OWNER, "FULL_CONTROL"))), OWNER, null, Action.COPY,
                        "owned by another account", null),
                c("WRITE cannot be granted on a write", object(b -> b), Action.COPY, new ObjectAcl(OWNER,
                        List.of(new ObjectAcl.Grant("id", OWNER, "FULL_CONTROL"),
                                new ObjectAcl.Grant("id", "x", "WRITE"))), null, Action.COPY,
                        "cannot be set on a write", null),
                c("an empty ACL cannot be asked for", object(b -> b), Action.COPY, new ObjectAcl(OWNER, List.of()),
                        null, Action.COPY, "grants nothing", null),
                // Object Lock
                c("retention in force carried", object(b -> b.lock(new ObjectLock("COMPLIANCE", later, false,
                        false))), Action.COPY, PRIVATE, null, Action.COPY, null, "lock=COMPLIANCE until " + later),
                c("GOVERNANCE retention and legal hold carried", object(b -> b.lock(new ObjectLock("GOVERNANCE", later,
                        true, false))), Action.MULTIPART_COPY, PRIVATE, null, Action.MULTIPART_COPY, null,
                        "lock=GOVERNANCE until " + later + ", legal hold"),
                c("ended retention not carried, legal hold is", object(b -> b.lock(new ObjectLock("GOVERNANCE",
                        NOW.minusSeconds(1), true, false))), Action.COPY, PRIVATE, null, Action.COPY, null,
                        "lock=legal hold"),
                c("event hold: refused", object(b -> b.lock(new ObjectLock(null, null, false, true))), Action.COPY,
                        PRIVATE, null, Action.COPY, "event hold", null),
                c("unknown lock mode: refused", object(b -> b.lock(new ObjectLock("FOREVER", later, false, false))),
                        Action.COPY, PRIVATE, null, Action.COPY, "unknown", null),
                // Checksums
                c("CopyObject keeps SHA256", object(b -> b.checksum("SHA256", "abc=", "FULL_OBJECT")), Action.COPY,
                        PRIVATE, null, Action.COPY, null, "checksum=kept upload=null"),
                c("multipart keeps a full-object CRC32, checked by S3",
                        object(b -> b.checksum("CRC32", "AAAA", "FULL_OBJECT")), Action.MULTIPART_COPY, PRIVATE,
                        null, Action.MULTIPART_COPY, null, "checksum=kept upload=CRC32"),
                c("multipart keeps a full-object CRC64NVME", object(b -> b.checksum("CRC64NVME", "AAAAAAAAAAA=",
                        "FULL_OBJECT")), Action.MULTIPART_COPY, PRIVATE, null, Action.MULTIPART_COPY, null,
                        "checksum=kept upload=CRC64NVME"),
                c("SHA256 up to 5 GiB: CopyObject above the threshold", object(b -> b.size(5 * GIB)
                        .checksum("SHA256", "abc=", "FULL_OBJECT")), Action.MULTIPART_COPY, PRIVATE, null,
                        Action.COPY, null, "checksum=kept upload=null tags=copied note"),
                c("composite CRC32 up to 5 GiB: CopyObject keeps it", object(b -> b.size(GIB)
                        .checksum("CRC32", "AAAA-3", "COMPOSITE")), Action.MULTIPART_COPY, PRIVATE, null,
                        Action.COPY, null, "checksum=kept upload=null tags=copied note"),
                c("SHA256 over 5 GiB: refused", object(b -> b.size(5 * GIB + 1)
                        .checksum("SHA256", "abc=", "FULL_OBJECT")), Action.MULTIPART_COPY, PRIVATE, null,
                        Action.MULTIPART_COPY, "cannot be kept", null),
                c("composite CRC32C over 5 GiB: refused", object(b -> b.size(6 * GIB)
                        .checksum("CRC32C", "AAAA-9", "COMPOSITE")), Action.MULTIPART_COPY, PRIVATE, null,
                        Action.MULTIPART_COPY, "cannot be kept", null),
                c("no checksum: nothing to keep", object(b -> b.size(6 * GIB)), Action.MULTIPART_COPY, PRIVATE, null,
                        Action.MULTIPART_COPY, null, "checksum=none upload=null"),
                // Header values the SDK cannot write back as S3 holds them
                c("Expires not a date: CopyObject copies it", object(b -> b.undecodable("Expires")), Action.COPY,
                        PRIVATE, null, Action.COPY, null, "grants=none"),
                c("Expires not a date: a multipart copy would write it", object(b -> b.undecodable("Expires")),
                        Action.MULTIPART_COPY, PRIVATE, null, Action.MULTIPART_COPY, "cannot be written again", null),
                c("website redirect not UTF-8: every copy writes it", object(b -> b.undecodable(
                        "x-amz-website-redirect-location")), Action.COPY, PRIVATE, null, Action.COPY,
                        "cannot be written again", null),
                // Tags
                c("CopyObject: S3 copies the tags", object(b -> b.tags(2)), Action.COPY, PRIVATE, null, Action.COPY,
                        null, "tags=copied"),
                c("multipart: tags set from the read", object(b -> b.tags(2)), Action.MULTIPART_COPY, PRIVATE,
                        Map.of("a", "1", "b", "2"), Action.MULTIPART_COPY, null, "tags={a=1, b=2}"),
                c("multipart without tags: none set", object(b -> b), Action.MULTIPART_COPY, PRIVATE, null,
                        Action.MULTIPART_COPY, null, "tags={}"));
    }

    static String summary(CopyPlan p) {
        StringBuilder s = new StringBuilder();
        s.append("grants=").append(p.grants() == null ? "none" : p.grants().grants().size());
        s.append(" lock=").append(p.lock().describe());
        s.append(p.checksumKept() ? " checksum=kept" : " checksum=none");
        s.append(" upload=").append(p.uploadChecksumAlgorithm());
        s.append(" tags=").append(p.tags() == null ? "copied" : new java.util.TreeMap<>(p.tags()));
        if (p.note() != null) {
            s.append(" note");
        }
        return s.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plansWhatTheCopyCarries(Case c) {
        CopyPlan plan = CopyPlanner.plan(c.object(), c.decided(), c.acl(), c.bucketOwner(), c.tags(), NOW);
        assertThat(plan.method()).isEqualTo(c.method());
        if (c.refusal() != null) {
            assertThat(plan.refused()).isTrue();
            assertThat(plan.refusal()).contains(c.refusal()).contains("needs a person");
            // Lock and checksum refusals are known from HeadObject alone (the dry run reports them); ACL ones are not.
            assertThat(CopyPlanner.refusalFromHead(c.object(), c.decided(), NOW) != null)
                    .isEqualTo(c.acl().ownerOnly());
        } else {
            assertThat(plan.refused()).as(plan.refusal()).isFalse();
            assertThat(summary(plan)).contains(c.expect());
        }
    }

    @ParameterizedTest(name = "grant headers of {0}")
    @MethodSource("headerCases")
    void grantsBecomeHeaderValues(String name, ObjectAcl acl, Map<String, String> headers) {
        assertThat(acl.headers()).isEqualTo(headers);
    }

    static Stream<Arguments> headerCases() {
        return Stream.of(
                Arguments.of("public-read", PUBLIC_READ, Map.of("FULL_CONTROL", "id=\"" + OWNER + "\"",
                        "READ", "uri=\"" + ALL_USERS + "\"")),
                Arguments.of("two readers", new ObjectAcl(OWNER, List.of(new ObjectAcl.Grant("id", "a", "READ"),
                        new ObjectAcl.Grant("emailAddress", "x@example.com", "READ"))),
                        Map.of("READ", "id=\"a\", emailAddress=\"x@example.com\"")));
    }

    @org.junit.jupiter.api.Test
    void aMultipartCopyOfATaggedObjectNeedsItsTags() {
        assertThatThrownBy(() -> CopyPlanner.plan(object(b -> b.tags(1)), Action.MULTIPART_COPY, PRIVATE, null,
                null, NOW)).isInstanceOf(IllegalArgumentException.class);
    }
}
