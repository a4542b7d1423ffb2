package dev.atrest.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.core.config.ConfigException;
import dev.atrest.core.config.ConfigLoader;
import dev.atrest.core.json.Json;
import dev.atrest.core.json.MalformedEventException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuditInputTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"detail-type\":\"Scheduled Event\",\"source\":\"atrest.scheduler\",\"detail\":{\"task\":\"storage-audit\"}}",
        "{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"detail\":{}}",
        "{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.scheduler\",\"detail\":{}}",
    })
    void acceptsScheduleShapes(String event) throws Exception {
        assertThat(AuditTrigger.parse(Json.MAPPER.readTree(event)).source()).isNotBlank();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "[1,2]                                                                                      | expected a scheduled event",
        "{\"detail-type\":\"Object Created\",\"source\":\"aws.s3\",\"detail\":{}}                   | expected detail-type 'Scheduled Event'",
        "{\"detail-type\":\"Scheduled Event\",\"source\":\"evil\",\"detail\":{}}                    | unexpected source 'evil'",
        "{\"detail-type\":\"Scheduled Event\",\"source\":\"atrest.scheduler\",\"detail\":{\"task\":\"rotation-sweep\"}} | detail.task 'rotation-sweep' is not storage-audit",
        "{\"detail-type\":\"Scheduled Event\",\"source\":\"atrest.scheduler\",\"detail\":{}}        | detail.task is required",
        "{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"detail\":\"x\"}           | detail must be an object",
    })
    void rejectsOtherEvents(String event, String message) throws Exception {
        assertThatThrownBy(() -> AuditTrigger.parse(Json.MAPPER.readTree(event)))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining(message);
    }

    @Test
    void configDefaultsToDryRunInTheFunctionsRegion() {
        AuditConfig c = AuditConfig.load(new ConfigLoader(Map.of()));
        assertThat(c.dryRun()).isTrue();
        assertThat(c.regions()).isEmpty();
        assertThat(c.allRegions()).isFalse();
        assertThat(c.securityHubEnabled() || c.tagResources() || c.enableEbsDefaultEncryption()).isFalse();
    }

    @Test
    void configReadsEveryVariable() {
        AuditConfig c = AuditConfig.load(new ConfigLoader(Map.of("REGIONS", "us-east-1,eu-west-1",
                "REQUIRE_CUSTOMER_MANAGED_KEY", "true", "SECURITY_HUB_ENABLED", "true",
                "FINDINGS_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:findings", "TAG_RESOURCES", "true",
                "ENABLE_EBS_DEFAULT_ENCRYPTION", "true",
                "EBS_DEFAULT_KMS_KEY_ARN", "arn:aws:kms:us-east-1:123456789012:key/abc", "DRY_RUN", "false")));
        assertThat(c.regions()).isEqualTo(List.of("us-east-1", "eu-west-1"));
        assertThat(c.requireCustomerManagedKey() && c.securityHubEnabled() && c.tagResources()
                && c.enableEbsDefaultEncryption()).isTrue();
        assertThat(c.dryRun()).isFalse();
        assertThat(AuditConfig.load(new ConfigLoader(Map.of("REGIONS", "all"))).allRegions()).isTrue();
    }

    @Test
    void invalidConfigNamesEveryBadVariable() {
        assertThatThrownBy(() -> AuditConfig.load(new ConfigLoader(Map.of("REGIONS", "us-east-1,mars",
                "DRY_RUN", "maybe", "FINDINGS_TOPIC_ARN", "topic", "EBS_DEFAULT_KMS_KEY_ARN", "alias/mine"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("REGIONS").hasMessageContaining("DRY_RUN")
                .hasMessageContaining("FINDINGS_TOPIC_ARN").hasMessageContaining("EBS_DEFAULT_KMS_KEY_ARN");
    }
}
