package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.core.config.ConfigException;
import dev.atrest.core.config.ConfigLoader;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReencryptConfigTest {
    static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String ALIAS = "arn:aws:kms:us-east-1:123456789012:alias/atrest";

    static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("TARGET_KMS_KEY_ARN", KEY);
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void defaultsAreSafe() {
        AtomicInteger resolved = new AtomicInteger();
        ReencryptConfig c = ReencryptConfig.load(new ConfigLoader(env()), ref -> {
            resolved.incrementAndGet();
            return ref;
        });
        assertThat(c.dryRun()).isTrue();
        assertThat(c.bucketKeyEnabled()).isTrue();
        assertThat(c.verifyAfterWrite()).isTrue();
        assertThat(c.method()).isEqualTo(ReencryptMethod.AUTO);
        assertThat(c.multipartThresholdBytes()).isEqualTo(5L * 1024 * 1024 * 1024);
        assertThat(c.compliantKeyArns()).isEmpty();
        assertThat(c.targetKeyArn()).isEqualTo(KEY);
        assertThat(resolved).hasValue(0); // a key ARN needs no KMS call at init
    }

    @Test
    void anAliasIsResolvedOnceToItsKeyArn() {
        AtomicInteger resolved = new AtomicInteger();
        ReencryptConfig c = ReencryptConfig.load(new ConfigLoader(env("TARGET_KMS_KEY_ARN", ALIAS, "DRY_RUN", "false",
                "REENCRYPT_METHOD", "copy", "COMPLIANT_KMS_KEY_ARNS", KEY + "," + KEY.replace("1234abcd", "99999999"),
                "MULTIPART_THRESHOLD_BYTES", "5242880", "AWS_LAMBDA_FUNCTION_NAME", "fn")), ref -> {
                    resolved.incrementAndGet();
                    return ref.equals(ALIAS) ? KEY : null;
                });
        assertThat(resolved).hasValue(1);
        assertThat(c.targetKeyArn()).isEqualTo(KEY);
        assertThat(c.dryRun()).isFalse();
        assertThat(c.method()).isEqualTo(ReencryptMethod.COPY);
        assertThat(c.compliantKeyArns()).hasSize(2);
        assertThat(c.multipartThresholdBytes()).isEqualTo(5242880L);
        assertThat(c.functionName()).isEqualTo("fn");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "TARGET_KMS_KEY_ARN        | ''",
        "TARGET_KMS_KEY_ARN        | arn:aws:s3:::bucket",
        "BUCKET_KEY_ENABLED        | yes",
        "DRY_RUN                   | maybe",
        "REENCRYPT_METHOD          | rewrite",
        "COMPLIANT_KMS_KEY_ARNS    | arn:aws:kms:us-east-1:123456789012:alias/other",
        "MULTIPART_THRESHOLD_BYTES | 0",
        "MULTIPART_THRESHOLD_BYTES | 5368709121",
        "MULTIPART_THRESHOLD_BYTES | big",
        "VERIFY_AFTER_WRITE        | 1",
    })
    void invalidValuesFailInitNamingTheVariable(String name, String value) {
        assertThatThrownBy(() -> ReencryptConfig.load(new ConfigLoader(env(name, value)), ref -> KEY))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(name);
    }

    @Test
    void anAliasThatResolvesToNothingFailsInit() {
        assertThatThrownBy(() -> ReencryptConfig.load(new ConfigLoader(env("TARGET_KMS_KEY_ARN", ALIAS)), ref -> {
            throw new IllegalStateException("NotFoundException");
        })).isInstanceOf(ConfigException.class).hasMessageContaining("TARGET_KMS_KEY_ARN")
                .hasMessageContaining("NotFoundException");
    }
}
