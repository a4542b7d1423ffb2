package dev.atrest.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BucketScopeTest {

    @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
        "listed,            watched,   null",
        "listed,            other,     not one of the configured buckets",
        "all-but-opted-out, watched,   null",
        "all-but-opted-out, other,     null",
    })
    void byName(String mode, String bucket, String because) {
        BucketScope scope = mode.equals("listed") ? BucketScope.listed("watched")
                : BucketScope.allButOptedOut("atrest:opt-out");
        String reason = scope.byName(bucket);
        if (because == null) {
            assertThat(reason).isNull();
        } else {
            assertThat(reason).contains(because);
        }
    }

    @ParameterizedTest(name = "[{index}] {0} {1} {2} -> {3}")
    @CsvSource(nullValues = "null", value = {
        "us-east-1, null,           null",
        "us-east-1, atrest:opt-out, carries the opt-out tag",
        // Any value opts out: the key is the switch.
        "us-east-1, atrest:opt-out=false, carries the opt-out tag",
        "us-east-1, atrest:opt-outs,      null",
        "eu-west-1, null,           is in eu-west-1",
        "null,      null,           null",
    })
    void byFacts(String region, String tag, String because) {
        Map<String, String> tags = tag == null ? Map.of() : Map.of(tag.split("=")[0], tag.contains("=") ? "false" : "");
        String reason = BucketScope.allButOptedOut("atrest:opt-out").byFacts("b", region, tags, "us-east-1");
        if (because == null) {
            assertThat(reason).isNull();
        } else {
            assertThat(reason).contains(because);
        }
        assertThat(BucketScope.listed("b").byFacts("b", region, tags, "us-east-1")).isNull();
    }

    @Test
    void loadsAndValidates() {
        BucketScope listed = BucketScope.load(new ConfigLoader(Map.of("BUCKET_NAMES", "a-b,c.d")));
        assertThat(listed.mode()).isEqualTo(BucketScope.Mode.LISTED);
        assertThat(listed.buckets()).containsExactlyInAnyOrder("a-b", "c.d");
        assertThat(listed.needsFacts()).isFalse();
        BucketScope all = BucketScope.load(new ConfigLoader(Map.of("BUCKET_SCOPE", "all-but-opted-out",
                "OPT_OUT_TAG_KEY", "team:skip")));
        assertThat(all.needsFacts()).isTrue();
        assertThat(all.optOutTagKey()).isEqualTo("team:skip");

        ConfigLoader none = new ConfigLoader(Map.of("BUCKET_SCOPE", "listed"));
        BucketScope.load(none);
        assertThatThrownBy(none::validate).hasMessageContaining("BUCKET_NAMES is required when BUCKET_SCOPE is listed");
        ConfigLoader bad = new ConfigLoader(Map.of("BUCKET_SCOPE", "everything", "BUCKET_NAMES", "a-b",
                "OPT_OUT_TAG_KEY", "a\tb"));
        BucketScope.load(bad);
        assertThatThrownBy(bad::validate).hasMessageContaining("BUCKET_SCOPE='everything'")
                .hasMessageContaining("OPT_OUT_TAG_KEY=");
    }
}
