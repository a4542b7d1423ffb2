package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** "At least as protected": the verification's rule for Object Lock settings on the new version. */
class ObjectLockTest {
    static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

    static Stream<Arguments> cases() {
        ObjectLock governance = new ObjectLock("GOVERNANCE", T, false, false);
        ObjectLock compliance = new ObjectLock("COMPLIANCE", T, false, false);
        ObjectLock hold = new ObjectLock(null, null, true, false);
        return Stream.of(
                Arguments.of("same retention", governance, governance, null),
                Arguments.of("stronger mode", compliance, governance, null),
                Arguments.of("later date (bucket default)", new ObjectLock("GOVERNANCE", T.plusSeconds(1), false,
                        false), governance, null),
                Arguments.of("weaker mode", governance, compliance, "mode GOVERNANCE, expected COMPLIANCE"),
                Arguments.of("earlier date", new ObjectLock("COMPLIANCE", T.minusSeconds(1), false, false), compliance,
                        "retain-until"),
                Arguments.of("no retention", ObjectLock.NONE, compliance, "mode null"),
                Arguments.of("legal hold lost", governance, new ObjectLock("GOVERNANCE", T, true, false),
                        "legal hold OFF"),
                Arguments.of("legal hold kept", hold, hold, null),
                Arguments.of("nothing wanted", ObjectLock.NONE, ObjectLock.NONE, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shortfalls(String name, ObjectLock actual, ObjectLock wanted, String expected) {
        if (expected == null) {
            assertThat(actual.shortfalls(wanted)).isEmpty();
        } else {
            assertThat(actual.shortfalls(wanted)).anySatisfy(s -> assertThat(s).contains(expected));
        }
    }

    @ParameterizedTest(name = "{0} locked at T: {2}")
    @MethodSource("locks")
    void lockedOnlyWhileSomethingProtects(String name, ObjectLock lock, boolean locked) {
        assertThat(lock.locked(T)).isEqualTo(locked);
    }

    static Stream<Arguments> locks() {
        return Stream.of(
                Arguments.of("retention until later", new ObjectLock("GOVERNANCE", T.plusSeconds(1), false, false),
                        true),
                Arguments.of("retention ended", new ObjectLock("COMPLIANCE", T, false, false), false),
                Arguments.of("legal hold", new ObjectLock(null, null, true, false), true),
                Arguments.of("event hold", new ObjectLock(null, null, false, true), true),
                Arguments.of("none", ObjectLock.NONE, false));
    }
}
