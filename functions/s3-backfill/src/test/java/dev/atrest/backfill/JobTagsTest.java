package dev.atrest.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Only tags atrest writes make a job atrest's. */
class JobTagsTest {

    @ParameterizedTest(name = "{0}={1}, {2}={3}, {4}={5}, {6}={7}: {8}")
    @CsvSource(nullValues = "-", value = {
        "atrest:backfill, sse-s3,  atrest:bucket, data,  atrest:dry-run, true,  -,               -,         true",
        "atrest:backfill, not-sse, atrest:bucket, data,  atrest:dry-run, false, -,               -,         true",
        "atrest:backfill, retry,   atrest:bucket, data,  atrest:dry-run, false, atrest:retry-of, abcdef-12, true",
        "atrest:backfill, retry,   atrest:bucket, data,  atrest:dry-run, false, -,               -,         false",
        "atrest:backfill, retry,   atrest:bucket, data,  atrest:dry-run, false, atrest:retry-of, ../x,      false",
        "atrest:backfill, copy,    atrest:bucket, data,  atrest:dry-run, true,  -,               -,         false",
        "atrest:backfill, sse-s3,  atrest:bucket, DATA!, atrest:dry-run, true,  -,               -,         false",
        "atrest:backfill, sse-s3,  -,             -,     atrest:dry-run, true,  -,               -,         false",
        "atrest:backfill, sse-s3,  atrest:bucket, data,  atrest:dry-run, yes,   -,               -,         false",
        "team,            x,       atrest:bucket, data,  atrest:dry-run, true,  -,               -,         false",
    })
    void read(String k1, String v1, String k2, String v2, String k3, String v3, String k4, String v4, boolean ours) {
        Map<String, String> tags = new HashMap<>();
        for (String[] kv : new String[][] {{k1, v1}, {k2, v2}, {k3, v3}, {k4, v4}}) {
            if (kv[0] != null) {
                tags.put(kv[0], kv[1]);
            }
        }
        assertThat(JobTags.read("job", tags).isPresent()).isEqualTo(ours);
    }
}
