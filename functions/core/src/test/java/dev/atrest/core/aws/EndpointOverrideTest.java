package dev.atrest.core.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SDK's names of the endpoint settings, and the S3 Control addressing decided from them. */
class EndpointOverrideTest {
    private static final String[] PROPERTIES = {"aws.endpointUrl", "aws.endpointUrlS3", "aws.endpointUrlS3Control",
        "aws.ignoreConfiguredEndpointUrls"};
    private final Map<String, String> saved = new HashMap<>();

    @BeforeEach
    void clear() {
        for (String p : PROPERTIES) {
            saved.put(p, System.getProperty(p));
            System.clearProperty(p);
        }
    }

    @AfterEach
    void restore() {
        saved.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"S3, S3", "S3_CONTROL, S3Control", "SNS, Sns", "ELASTICFILESYSTEM, Elasticfilesystem"})
    void propertySuffixIsTheServiceIdWithoutSpaces(String envSuffix, String propertySuffix) {
        assertThat(ClientFactory.propertySuffix(envSuffix)).isEqualTo(propertySuffix);
    }

    @Test
    void againstAwsS3ControlKeepsTheAccountInTheHost() {
        assertThat(ClientFactory.endpointOverride("S3_CONTROL")).isEmpty();
        assertThat(ClientFactory.s3ControlWithoutAccountHost()).isFalse();
    }

    @Test
    void theServiceSpecificPropertyOverridesS3ControlOnly() {
        System.setProperty("aws.endpointUrlS3Control", "http://127.0.0.1:4566");
        assertThat(ClientFactory.endpointOverride("S3_CONTROL")).contains(URI.create("http://127.0.0.1:4566"));
        assertThat(ClientFactory.s3ControlWithoutAccountHost()).isTrue();
        assertThat(ClientFactory.endpointOverride("S3")).isEmpty();
        assertThat(ClientFactory.s3PathStyle()).isFalse();
    }

    @Test
    void theGlobalOverrideCoversS3ControlUnlessEndpointsAreIgnored() {
        System.setProperty("aws.endpointUrl", "http://127.0.0.1:5000");
        assertThat(ClientFactory.s3ControlWithoutAccountHost()).isTrue();
        System.setProperty("aws.ignoreConfiguredEndpointUrls", "true");
        assertThat(ClientFactory.s3ControlWithoutAccountHost()).isFalse();
    }
}
