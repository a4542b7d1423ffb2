package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.s3.VersionOrder.Entry;
import dev.atrest.s3.VersionOrder.Verdict;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VersionOrderTest {
    static Entry v(String id) {
        return new Entry(id, false);
    }

    static Entry marker(String id) {
        return new Entry(id, true);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("ours on the version read", List.of(v("ours"), v("read")), "read", Verdict.AS_EXPECTED,
                        null),
                Arguments.of("ours on the null version read", List.of(v("ours"), v(null)), null, Verdict.AS_EXPECTED,
                        null),
                Arguments.of("the version read since deleted", List.of(v("ours")), "read", Verdict.AS_EXPECTED,
                        null),
                Arguments.of("a metadata-only write in between", List.of(v("ours"), v("x")), "read",
                        Verdict.INTERLEAVED, "x"),
                Arguments.of("a write in between on the null version", List.of(v("ours"), v("x")), null,
                        Verdict.INTERLEAVED, "x"),
                Arguments.of("a delete in between", List.of(v("ours"), marker("d")), "read", Verdict.INTERLEAVED,
                        "d"),
                Arguments.of("a newer write on top", List.of(v("y"), v("ours")), "read", Verdict.NEWER_ON_TOP, "y"),
                Arguments.of("deleted on top", List.of(marker("d"), v("ours")), "read", Verdict.NEWER_ON_TOP, "d"),
                Arguments.of("nothing listed", List.of(), "read", Verdict.NEWER_ON_TOP, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void placesOurVersion(String name, List<Entry> newest, String read, Verdict verdict, String other) {
        VersionOrder.Check check = VersionOrder.check(newest, "ours", read);
        assertThat(check.verdict()).isEqualTo(verdict);
        assertThat(check.other() == null ? null : check.other().versionId()).isEqualTo(other);
    }
}
