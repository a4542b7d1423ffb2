package dev.atrest.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.core.config.ConfigException;
import dev.atrest.core.config.ConfigLoader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(nullValues = "NULL", value = {
        "DRY_RUN, true, true",
        "DRY_RUN, false, false",
        "DRY_RUN, NULL, true",
        "DRY_RUN, '', true",
    })
    void booleansAcceptOnlyTrueOrFalse(String name, String value, boolean expected) {
        ConfigLoader loader = new ConfigLoader(value == null ? Map.of() : Map.of(name, value));
        assertThat(loader.bool(name, true)).isEqualTo(expected);
        loader.validate();
    }

    @ParameterizedTest(name = "DRY_RUN={0} is rejected")
    @CsvSource({"yes", "1", "on", "tru", "TRUE", "False", "' false '"})
    void malformedBooleanFailsInitNamingTheVariable(String value) {
        ConfigLoader loader = new ConfigLoader(Map.of("DRY_RUN", value));
        loader.bool("DRY_RUN", true);
        assertThatThrownBy(loader::validate)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DRY_RUN='" + value + "'")
                .hasMessageContaining("true or false");
    }

    @ParameterizedTest(name = "{0} -> ok={1}")
    @CsvSource({
        "365, true", "90, true", "2560, true", "89, false", "2561, false", "abc, false", "3.5, false", "-1, false",
    })
    void integersAreRangeChecked(String value, boolean ok) {
        ConfigLoader loader = new ConfigLoader(Map.of("ROTATION_PERIOD_DAYS", value));
        int parsed = loader.intInRange("ROTATION_PERIOD_DAYS", 365, 90, 2560);
        if (ok) {
            loader.validate();
            assertThat(parsed).isEqualTo(Integer.parseInt(value));
        } else {
            assertThatThrownBy(loader::validate).hasMessageContaining("ROTATION_PERIOD_DAYS").hasMessageContaining("90 to 2560");
        }
    }

    @ParameterizedTest(name = "{0} valid={1}")
    @CsvSource({
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab, true",
        "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab, true",
        "arn:aws:kms:us-east-1:123456789012:alias/atrest, false",
        "alias/atrest, false",
        "arn:aws:kms:us-east-1:12345678901:key/abc, false",
        "arn:aws:s3:::bucket, false",
    })
    void keyArnPatternAcceptsOnlyFullKeyArns(String value, boolean valid) {
        assertThat(ConfigLoader.KMS_KEY_ARN.matcher(value).matches()).isEqualTo(valid);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigLoader loader = new ConfigLoader(Map.of("DRY_RUN", "maybe", "REENCRYPT_METHOD", "teleport"));
        loader.requiredString("TARGET_KMS_KEY_ARN", "a KMS key ARN or alias");
        loader.bool("DRY_RUN", true);
        loader.oneOf("REENCRYPT_METHOD", "auto", Set.of("auto", "update", "copy"));
        assertThatThrownBy(loader::validate)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TARGET_KMS_KEY_ARN is required")
                .hasMessageContaining("DRY_RUN='maybe'")
                .hasMessageContaining("REENCRYPT_METHOD='teleport' is invalid: expected one of auto, copy, update");
    }

    @ParameterizedTest(name = "REGIONS={0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "us-east-1,eu-west-1 | us-east-1;eu-west-1",
        "us-east-1           | us-east-1",
        "all                 | all",
        "us-east-1, eu-west-1 | INVALID",
        "us-east-1,,eu-west-1 | INVALID",
        "us-east-1,          | INVALID",
        "us-east-1,bogus     | INVALID",
    })
    void listsAreCheckedWholeAgainstTheTemplatesPattern(String value, String expected) {
        ConfigLoader loader = new ConfigLoader(Map.of("REGIONS", value.strip()));
        List<String> regions = loader.list("REGIONS", ConfigLoader.REGION_LIST, "region names");
        if (expected.equals("INVALID")) {
            assertThat(regions).isEmpty();
            assertThatThrownBy(loader::validate).hasMessageContaining("REGIONS='" + value.strip() + "' is invalid");
        } else {
            loader.validate();
            assertThat(regions).containsExactly(expected.split(";"));
        }
    }

    @Test
    void matchingValidatesThePattern() {
        ConfigLoader loader = new ConfigLoader(Map.of("FINDINGS_TOPIC_ARN", "not-an-arn"));
        assertThat(loader.matching("FINDINGS_TOPIC_ARN", ConfigLoader.SNS_TOPIC_ARN, false, "an SNS topic ARN")).isNull();
        assertThatThrownBy(loader::validate).hasMessageContaining("FINDINGS_TOPIC_ARN='not-an-arn' is invalid");
        ConfigLoader unset = new ConfigLoader(Map.of());
        assertThat(unset.matching("FINDINGS_TOPIC_ARN", Pattern.compile(".*"), false, "x")).isNull();
        unset.validate();
    }
}
