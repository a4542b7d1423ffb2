package dev.atrest.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.core.config.ConfigException;
import dev.atrest.core.config.ConfigLoader;
import dev.atrest.core.config.RegionSelection;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegionSelectionTest {
    private static final List<String> ENABLED = List.of("us-east-1", "eu-west-1", "ap-south-1", "eu-west-1");

    private static List<String> split(String text) {
        return text.isBlank() ? List.of() : Arrays.asList(text.split(";"));
    }

    @ParameterizedTest(name = "REGIONS=''{0}'' -> {1} (all={2})")
    @CsvSource({
        "'',                              '',                     false",
        "us-east-1,                       us-east-1,              false",
        "'eu-west-1,us-east-1',           eu-west-1;us-east-1,    false",
        "'eu-west-1,eu-west-1',           eu-west-1,              false",
        "us-esat-1,                       us-esat-1,              false",
        "all,                             '',                     true",
    })
    void loadsAListOrAll(String value, String configured, boolean all) {
        ConfigLoader env = new ConfigLoader(Map.of("REGIONS", value));
        RegionSelection selection = RegionSelection.load(env, "REGIONS");
        env.validate();
        assertThat(selection).isEqualTo(new RegionSelection(split(configured), all));
    }

    @ParameterizedTest(name = "REGIONS=''{0}'' is rejected")
    @CsvSource(delimiter = '|', value = {
        "us-east-1,US-EAST-1|REGIONS='us-east-1,US-EAST-1' is invalid",
        "everywhere|REGIONS='everywhere' is invalid",
        "eu-west-1, us-east-1|REGIONS='eu-west-1, us-east-1' is invalid",
        "eu-west-1,,eu-west-1|REGIONS='eu-west-1,,eu-west-1' is invalid",
        "ALL|REGIONS='ALL' is invalid",
    })
    void badValuesFailInitNamingTheVariable(String value, String message) {
        ConfigLoader env = new ConfigLoader(Map.of("REGIONS", value));
        RegionSelection.load(env, "REGIONS");
        assertThatThrownBy(env::validate).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @ParameterizedTest(name = "regions {0} all={1} -> {2}")
    @CsvSource({
        "'',                  false, us-east-1",
        "eu-west-1;us-east-1, false, eu-west-1;us-east-1",
        "eu-west-1;eu-west-1, false, eu-west-1",
        "'',                  true,  ap-south-1;eu-west-1;us-east-1",
    })
    void resolves(String configured, boolean all, String expected) {
        assertThat(new RegionSelection(split(configured), all).resolve("us-east-1", () -> ENABLED))
                .containsExactly(expected.split(";"));
    }

    @Test
    void onlyAllAsksForTheEnabledRegions() {
        AtomicInteger asked = new AtomicInteger();
        RegionSelection.of("eu-west-1").resolve("us-east-1", () -> {
            asked.incrementAndGet();
            return ENABLED;
        });
        RegionSelection.HOME.resolve("us-east-1", () -> {
            asked.incrementAndGet();
            return ENABLED;
        });
        assertThat(asked).hasValue(0);
    }

    @ParameterizedTest(name = "{0} all={1} covers {2}: {3}")
    @CsvSource({
        "'',                  false, us-east-1,     true",
        "'',                  false, eu-west-1,     false",
        "eu-west-1;us-west-2, false, us-west-2,     true",
        "eu-west-1;us-west-2, false, us-east-1,     false",
        "'',                  true,  ap-southeast-2, true",
        "'',                  true,  cn-north-1,    false",
        "'',                  true,  us-gov-west-1, false",
        "'',                  true,  xx-nowhere-9,  false",
        "'',                  true,  'us-east-1 ',  false",
    })
    void coversWithoutAskingAws(String configured, boolean all, String region, boolean expected) {
        assertThat(new RegionSelection(split(configured), all).covers(region, "us-east-1")).isEqualTo(expected);
    }
}
