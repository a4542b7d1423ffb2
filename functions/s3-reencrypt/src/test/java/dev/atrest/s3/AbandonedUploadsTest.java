package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.s3.AbandonedUploads.Upload;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AbandonedUploadsTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final Instant OLD = NOW.minus(AbandonedUploads.MIN_AGE).minusSeconds(1);
    static final Upload OURS = new Upload("k", "ours", "role/fn", NOW);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("ours, older than an invocation can run", List.of(OURS, new Upload("k", "u1", "role/fn",
                        OLD)), List.of("u1")),
                Arguments.of("ours but recent: a concurrent invocation's", List.of(OURS, new Upload("k", "u1",
                        "role/fn", NOW.minusSeconds(60))), List.of()),
                Arguments.of("someone else's", List.of(OURS, new Upload("k", "u1", "user/alice", OLD)), List.of()),
                Arguments.of("another key under the same prefix", List.of(OURS, new Upload("k.bak", "u1", "role/fn",
                        OLD)), List.of()),
                Arguments.of("our own upload is not listed", List.of(new Upload("k", "u1", "role/fn", OLD)),
                        List.of()),
                Arguments.of("no start time", List.of(OURS, new Upload("k", "u1", "role/fn", null)), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void abortsOnlyOurAbandonedUploads(String name, List<Upload> uploads, List<String> expected) {
        assertThat(AbandonedUploads.toAbort(uploads, "k", "ours", NOW)).isEqualTo(expected);
    }
}
