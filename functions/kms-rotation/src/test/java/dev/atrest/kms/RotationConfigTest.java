package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.core.config.ConfigException;
import dev.atrest.core.config.ConfigLoader;
import dev.atrest.core.config.RegionSelection;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RotationConfigTest {

    private static Map<String, String> env(String name, String value) {
        Map<String, String> env = new HashMap<>();
        if (name != null && !name.isBlank()) {
            env.put(name, value);
        }
        return env;
    }

    @Test
    void defaultsAreSafe() {
        RotationConfig config = RotationConfig.load(new ConfigLoader(Map.of()));
        assertThat(config.dryRun()).isTrue();
        assertThat(config.rotationPeriodDays()).isEqualTo(365);
        assertThat(config.maxRotationPeriodDays()).isEqualTo(365);
        assertThat(config.exemptTagKey()).isEqualTo("atrest:exempt");
        assertThat(config.findingsTopicArn()).isNull();
        assertThat(config.listKeysPageSize()).isEqualTo(1000);
        assertThat(config.regions()).isEqualTo(RegionSelection.HOME);
        assertThat(config).isEqualTo(RotationConfig.builder().build());
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "ROTATION_PERIOD_DAYS|89|ROTATION_PERIOD_DAYS=89 is out of range",
        "ROTATION_PERIOD_DAYS|2561|ROTATION_PERIOD_DAYS=2561 is out of range",
        "ROTATION_PERIOD_DAYS|yearly|ROTATION_PERIOD_DAYS='yearly' is invalid",
        "MAX_ROTATION_PERIOD_DAYS|3000|MAX_ROTATION_PERIOD_DAYS=3000 is out of range",
        "MAX_ROTATION_PERIOD_DAYS|100|MAX_ROTATION_PERIOD_DAYS=100 is below ROTATION_PERIOD_DAYS=365",
        "DRY_RUN|maybe|DRY_RUN='maybe' is invalid",
        "FINDINGS_TOPIC_ARN|topic|FINDINGS_TOPIC_ARN='topic' is invalid",
        "EXEMPT_TAG_KEY|bad#key|EXEMPT_TAG_KEY='bad#key' is invalid",
        "LIST_KEYS_PAGE_SIZE|0|LIST_KEYS_PAGE_SIZE=0 is out of range",
        "LIST_KEYS_PAGE_SIZE|1001|LIST_KEYS_PAGE_SIZE=1001 is out of range",
        "REGIONS|us-east-1, eu-west-1|REGIONS='us-east-1, eu-west-1' is invalid",
    })
    void invalidEnvironmentFailsInitNamingTheVariable(String name, String value, String message) {
        assertThatThrownBy(() -> RotationConfig.load(new ConfigLoader(env(name, value))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "ROTATION_PERIOD_DAYS|90|90|90",
        "ROTATION_PERIOD_DAYS|2560|2560|2560",
        "MAX_ROTATION_PERIOD_DAYS|730|365|730",
    })
    void validPeriods(String name, String value, int period, int max) {
        RotationConfig config = RotationConfig.load(new ConfigLoader(env(name, value)));
        assertThat(config.rotationPeriodDays()).isEqualTo(period);
        assertThat(config.maxRotationPeriodDays()).isEqualTo(max);
    }

    @Test
    void templateStyleEnvironmentLoads() {
        RotationConfig config = RotationConfig.load(new ConfigLoader(Map.of("ROTATION_PERIOD_DAYS", "180",
                "MAX_ROTATION_PERIOD_DAYS", "365", "EXEMPT_TAG_KEY", "team:exempt", "DRY_RUN", "false",
                "FINDINGS_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:atrest-findings")));
        assertThat(config).isEqualTo(RotationConfig.builder().rotationPeriodDays(180).exemptTagKey("team:exempt")
                .dryRun(false).findingsTopicArn("arn:aws:sns:us-east-1:123456789012:atrest-findings").build());
    }

    @ParameterizedTest(name = "REGIONS={0}")
    @CsvSource(delimiter = '|', value = {
        "eu-west-1,us-east-1|eu-west-1;us-east-1|false",
        "all|''|true",
    })
    void regions(String value, String configured, boolean all) {
        RotationConfig config = RotationConfig.load(new ConfigLoader(Map.of("REGIONS", value)));
        assertThat(config.regions()).isEqualTo(new RegionSelection(
                configured.isEmpty() ? java.util.List.of() : java.util.List.of(configured.split(";")), all));
    }
}
