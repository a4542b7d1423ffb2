package dev.atrest.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.config.ConfigException;
import dev.atrest.core.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;

/**
 * Config validation: every invalid value of every variable the template gives StorageAuditFunction fails
 * init with a {@link ConfigException} naming the variable, never another exception and never a later failure.
 */
class AuditConfigTest {
    static final String VALID_TOPIC = "arn:aws:sns:us-east-1:123456789012:findings";
    static final String VALID_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    /** The variables the audit reads from its environment (template: the function's own, and Globals' DRY_RUN). */
    static final Set<String> READ = Set.of("REGIONS", "REQUIRE_CUSTOMER_MANAGED_KEY", "SECURITY_HUB_ENABLED",
            "FINDINGS_TOPIC_ARN", "TAG_RESOURCES", "ENABLE_EBS_DEFAULT_ENCRYPTION", "EBS_DEFAULT_KMS_KEY_ARN", "DRY_RUN",
            "KEY_MATERIAL_EXPIRY_WARNING_DAYS", "REPORT_LOCATION", "REPORT_KMS_KEY_ARN", "BLOCK_SSE_C");

    static Stream<Arguments> invalid() {
        String huge = "x".repeat(100_000);
        return Stream.of(
                Arguments.of("REGIONS", "mars"),
                Arguments.of("REGIONS", "us-east-1,mars"),
                Arguments.of("REGIONS", "US-EAST-1"),
                Arguments.of("REGIONS", "all,us-east-1"),
                Arguments.of("REGIONS", "us-east-1;eu-west-1"),
                Arguments.of("REGIONS", "us-east-1 eu-west-1"),
                Arguments.of("REGIONS", "*"),
                Arguments.of("REGIONS", "us-east\u0000-1"),
                Arguments.of("REGIONS", huge),
                Arguments.of("REQUIRE_CUSTOMER_MANAGED_KEY", "yes"),
                Arguments.of("REQUIRE_CUSTOMER_MANAGED_KEY", "1"),
                Arguments.of("SECURITY_HUB_ENABLED", "on"),
                Arguments.of("SECURITY_HUB_ENABLED", "ture"),
                Arguments.of("FINDINGS_TOPIC_ARN", "foo"),
                Arguments.of("FINDINGS_TOPIC_ARN", "findings"),
                Arguments.of("FINDINGS_TOPIC_ARN", "arn:aws:sns:us-east-1:123:findings"),
                Arguments.of("FINDINGS_TOPIC_ARN", "arn:aws:sqs:us-east-1:123456789012:findings"),
                Arguments.of("FINDINGS_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:"),
                Arguments.of("FINDINGS_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:findings:0a1b2c3d"),
                Arguments.of("FINDINGS_TOPIC_ARN", "arn:aws:sns::123456789012:findings"),
                Arguments.of("FINDINGS_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:findings.fifo"),
                Arguments.of("REGIONS", "us-east-1, eu-west-1"),
                Arguments.of("REGIONS", "us-east-1,"),
                Arguments.of("DRY_RUN", "TRUE"),
                Arguments.of("FINDINGS_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:" + huge),
                Arguments.of("TAG_RESOURCES", "maybe"),
                Arguments.of("ENABLE_EBS_DEFAULT_ENCRYPTION", "2"),
                Arguments.of("EBS_DEFAULT_KMS_KEY_ARN", "alias/ebs"),
                Arguments.of("EBS_DEFAULT_KMS_KEY_ARN", "arn:aws:kms:us-east-1:123456789012:alias/ebs"),
                Arguments.of("EBS_DEFAULT_KMS_KEY_ARN", "1234abcd-12ab-34cd-56ef-1234567890ab"),
                Arguments.of("EBS_DEFAULT_KMS_KEY_ARN", "arn:aws:kms:us-east-1:123456789012:key/"),
                Arguments.of("EBS_DEFAULT_KMS_KEY_ARN", "arn:aws:kms:us-east-1:12345:key/abc"),
                Arguments.of("EBS_DEFAULT_KMS_KEY_ARN", "arn:aws:s3:::bucket"),
                Arguments.of("DRY_RUN", "no"),
                Arguments.of("DRY_RUN", "True!"),
                Arguments.of("KEY_MATERIAL_EXPIRY_WARNING_DAYS", "0"),
                Arguments.of("KEY_MATERIAL_EXPIRY_WARNING_DAYS", "366"),
                Arguments.of("KEY_MATERIAL_EXPIRY_WARNING_DAYS", "30.5"),
                Arguments.of("KEY_MATERIAL_EXPIRY_WARNING_DAYS", "thirty"),
                Arguments.of("REPORT_LOCATION", "bucket/prefix"),
                Arguments.of("REPORT_LOCATION", "s3://Bucket/prefix"),
                Arguments.of("REPORT_LOCATION", "s3://b/prefix"),
                Arguments.of("REPORT_LOCATION", "https://bucket.s3.amazonaws.com/prefix"),
                Arguments.of("REPORT_LOCATION", "s3://bucket/pre fix"),
                Arguments.of("REPORT_KMS_KEY_ARN", "alias/atrest"),
                Arguments.of("REPORT_KMS_KEY_ARN", "arn:aws:kms:us-east-1:123456789012:key/"),
                Arguments.of("BLOCK_SSE_C", "yes"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("invalid")
    void everyInvalidValueFailsInitNamingTheVariable(String name, String value) {
        Map<String, String> env = new HashMap<>();
        env.put(name, value);

        Throwable thrown = catchThrowable(() -> AuditConfig.load(new ConfigLoader(env)));

        assertThat(thrown).isExactlyInstanceOf(ConfigException.class).hasMessageContaining(name);
        assertThat(thrown.getMessage().length()).as("message length").isLessThan(600);
    }

    @Test
    void theTableCoversEveryVariableTheFunctionReadsAndTheTemplateSets() throws Exception {
        Set<String> tested = new LinkedHashSet<>();
        invalid().forEach(a -> tested.add((String) a.get()[0]));
        assertThat(tested).isEqualTo(READ);

        // The template's StorageAuditFunction environment (plus Globals' DRY_RUN): no variable left out of the table.
        String template = Files.readString(Path.of(System.getProperty("atrest.projectDir", "../.."), "template.yaml"));
        int start = template.indexOf("  StorageAuditFunction:");
        String function = template.substring(start, template.indexOf("      Policies:", start));
        Set<String> set = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\n {10}([A-Z_]+):").matcher(function);
        while (m.find()) {
            set.add(m.group(1));
        }
        set.remove("POWERTOOLS_SERVICE_NAME"); // read by Powertools, not by the function
        set.add("DRY_RUN");
        assertThat(set).isEqualTo(READ);
    }

    @Test
    void theReportLocationNamesItsBucketAndPrefixAndNeedsTheReportKey() {
        String key = "arn:aws:kms:us-east-1:123456789012:alias/atrest";
        AuditConfig c = AuditConfig.load(new ConfigLoader(Map.of("REPORT_LOCATION", "s3://audit-reports/atrest/daily",
                "REPORT_KMS_KEY_ARN", key)));
        assertThat(c.reportBucket()).isEqualTo("audit-reports");
        assertThat(c.reportPrefix()).isEqualTo("atrest/daily/");
        AuditConfig bare = AuditConfig.builder().reportLocation("s3://audit-reports").reportKmsKeyArn(key).build();
        assertThat(bare.reportPrefix()).isEmpty();
        assertThat(AuditConfig.builder().reportLocation("s3://audit-reports/x/").reportKmsKeyArn(key).build()
                .reportPrefix()).isEqualTo("x/");
        assertThatThrownBy(() -> AuditConfig.load(new ConfigLoader(Map.of("REPORT_LOCATION", "s3://audit-reports"))))
                .isExactlyInstanceOf(ConfigException.class).hasMessageContaining("REPORT_KMS_KEY_ARN is required");
        assertThat(AuditConfig.builder().build().reportBucket()).isNull();
    }

    @Test
    void everyBadVariableIsNamedInOneMessage() {
        assertThatThrownBy(() -> AuditConfig.load(new ConfigLoader(Map.of("REGIONS", "mars", "DRY_RUN", "no",
                "FINDINGS_TOPIC_ARN", "foo", "EBS_DEFAULT_KMS_KEY_ARN", "alias/x", "TAG_RESOURCES", "2"))))
                .isInstanceOf(ConfigException.class).hasMessageContainingAll("REGIONS", "DRY_RUN",
                        "FINDINGS_TOPIC_ARN", "EBS_DEFAULT_KMS_KEY_ARN", "TAG_RESOURCES");
    }

    @Test
    void aConfigBuiltInCodeGetsTheSameArnChecksSoTheHandlerNeverSplitsABadArn() {
        // The handler takes the topic's region as the ARN's fourth field: "foo" must fail naming the variable,
        // never reach the handler and end in ArrayIndexOutOfBoundsException.
        assertThatThrownBy(() -> AuditConfig.builder().findingsTopicArn("foo").build())
                .isExactlyInstanceOf(ConfigException.class).hasMessageContaining("FINDINGS_TOPIC_ARN='foo'");
        assertThatThrownBy(() -> AuditConfig.builder().enableEbsDefaultEncryption(true).ebsDefaultKmsKeyArn("alias/x")
                .build()).isExactlyInstanceOf(ConfigException.class).hasMessageContaining("EBS_DEFAULT_KMS_KEY_ARN");
    }

    @Test
    void theBuildersDefaultsAreAnEmptyEnvironmentsAndToBuilderChangesOnlyWhatItSets() {
        AuditConfig defaults = AuditConfig.builder().build();
        assertThat(defaults).isEqualTo(AuditConfig.load(new ConfigLoader(Map.of())));
        assertThat(defaults.dryRun()).as("safe by default").isTrue();
        AuditConfig changed = defaults.toBuilder().tagResources(true).regions("eu-west-1").build();
        assertThat(changed).isEqualTo(AuditConfig.builder().tagResources(true).regions("eu-west-1").build());
        assertThat(changed.toBuilder().build()).isEqualTo(changed);
    }

    @Test
    void templateStyleEnvironmentLoadsAndBuildsTheHandler() {
        AuditConfig config = AuditConfig.load(new ConfigLoader(Map.of("REGIONS", "us-east-1,eu-west-1",
                "REQUIRE_CUSTOMER_MANAGED_KEY", "true", "SECURITY_HUB_ENABLED", "false", "FINDINGS_TOPIC_ARN", VALID_TOPIC,
                "TAG_RESOURCES", "false", "ENABLE_EBS_DEFAULT_ENCRYPTION", "true", "EBS_DEFAULT_KMS_KEY_ARN", VALID_KEY,
                "DRY_RUN", "false")));
        assertThat(config).isEqualTo(AuditConfig.builder().regions("us-east-1", "eu-west-1")
                .requireCustomerManagedKey(true).findingsTopicArn(VALID_TOPIC).enableEbsDefaultEncryption(true)
                .ebsDefaultKmsKeyArn(VALID_KEY).dryRun(false).build());
        // The template's defaults: empty strings for the optional ARNs and the region list.
        AuditConfig defaults = AuditConfig.load(new ConfigLoader(Map.of("REGIONS", "", "FINDINGS_TOPIC_ARN", "",
                "EBS_DEFAULT_KMS_KEY_ARN", "", "DRY_RUN", "true")));
        assertThat(defaults.findingsTopicArn()).isNull();
        assertThat(defaults.regions()).isEmpty();
        try (ClientFactory clients = new ClientFactory(Region.US_EAST_1)) {
            assertThat(new StorageAuditHandler(config, clients)).isNotNull();
        }
    }
}
