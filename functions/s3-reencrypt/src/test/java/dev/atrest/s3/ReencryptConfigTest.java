package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.core.config.BucketScope;
import dev.atrest.core.config.ConfigException;
import dev.atrest.core.config.ConfigLoader;
import dev.atrest.core.config.TargetKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReencryptConfigTest {
    static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String ALIAS = "arn:aws:kms:us-east-1:123456789012:alias/atrest";
    static final TargetKey.Facts GOOD = new TargetKey.Facts(KEY, "CUSTOMER", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT",
            "Enabled");

    static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("TARGET_KMS_KEY_ARN", KEY);
        env.put("BUCKET_NAMES", "atrest-example-bucket");
        env.put("ACCOUNT_ID", "123456789012");
        env.put("FUNCTION_ROLE_ID", "AROAEXAMPLEROLEID1234");
        env.put("AWS_REGION", "us-east-1");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void defaultsAreSafe() {
        AtomicInteger described = new AtomicInteger();
        ReencryptConfig c = ReencryptConfig.load(new ConfigLoader(env()), ref -> {
            described.incrementAndGet();
            return GOOD;
        });
        assertThat(c.dryRun()).isTrue();
        assertThat(c.bucketKeyEnabled()).isTrue();
        assertThat(c.verifyAfterWrite()).isTrue();
        assertThat(c.method()).isEqualTo(ReencryptMethod.AUTO);
        assertThat(c.multipartThresholdBytes()).isEqualTo(5L * 1024 * 1024 * 1024);
        assertThat(c.compliantKeyArns()).isEmpty();
        assertThat(c.targetKeyArn()).isEqualTo(KEY);
        assertThat(c.scope()).isEqualTo(BucketScope.listed("atrest-example-bucket"));
        assertThat(c.accountId()).isEqualTo("123456789012");
        assertThat(c.functionRoleId()).isEqualTo("AROAEXAMPLEROLEID1234");
        assertThat(described).hasValue(1); // the key is checked at init, once
    }

    @Test
    void anAliasIsResolvedOnceToItsKeyArn() {
        AtomicInteger described = new AtomicInteger();
        ReencryptConfig c = ReencryptConfig.load(new ConfigLoader(env("TARGET_KMS_KEY_ARN", ALIAS, "DRY_RUN", "false",
                "REENCRYPT_METHOD", "copy", "COMPLIANT_KMS_KEY_ARNS", KEY + "," + KEY.replace("1234abcd", "99999999"),
                "MULTIPART_THRESHOLD_BYTES", "5242880", "BUCKET_SCOPE", "all-but-opted-out")), ref -> {
                    described.incrementAndGet();
                    return ref.equals(ALIAS) ? GOOD : null;
                });
        assertThat(described).hasValue(1);
        assertThat(c.targetKeyArn()).isEqualTo(KEY);
        assertThat(c.dryRun()).isFalse();
        assertThat(c.method()).isEqualTo(ReencryptMethod.COPY);
        assertThat(c.compliantKeyArns()).hasSize(2);
        assertThat(c.multipartThresholdBytes()).isEqualTo(5242880L);
        assertThat(c.scope().mode()).isEqualTo(BucketScope.Mode.ALL_BUT_OPTED_OUT);
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
        "ACCOUNT_ID                | ''",
        "ACCOUNT_ID                | 12345678901",
        "ACCOUNT_ID                | arn:aws:iam::123456789012:root",
        "FUNCTION_ROLE_ID          | ''",
        "FUNCTION_ROLE_ID          | S3ReencryptFunction",
        "FUNCTION_ROLE_ID          | AIDAEXAMPLEUSERID1234",
        "FUNCTION_ROLE_ID          | aroaexampleroleid1234",
        "BUCKET_NAMES              | ''",
        "BUCKET_SCOPE              | all",
        "OPT_OUT_TAG_KEY           | a\tb",
        "AWS_REGION                | ''",
    })
    void invalidValuesFailInitNamingTheVariable(String name, String value) {
        assertThatThrownBy(() -> ReencryptConfig.load(new ConfigLoader(env(name, value)), ref -> GOOD))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(name);
    }

    @Test
    void aTargetKeyThatCannotBeUsedFailsInitNamingTheVariableAndTheReason() {
        for (var c : List.of(
                List.of(new TargetKey.Facts(KEY, "AWS", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "Enabled"), "AWS"),
                List.of(new TargetKey.Facts(KEY.replace("123456789012", "444455556666"), "CUSTOMER",
                        "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "Enabled"), "account 444455556666"),
                List.of(new TargetKey.Facts(KEY, "CUSTOMER", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "Disabled"),
                        "Disabled"))) {
            assertThatThrownBy(() -> ReencryptConfig.load(new ConfigLoader(env()), ref -> (TargetKey.Facts) c.get(0)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("TARGET_KMS_KEY_ARN")
                    .hasMessageContaining((String) c.get(1));
        }
    }

    @Test
    void anAliasThatResolvesToNothingFailsInit() {
        assertThatThrownBy(() -> ReencryptConfig.load(new ConfigLoader(env("TARGET_KMS_KEY_ARN", ALIAS)), ref -> {
            throw new IllegalStateException("NotFoundException");
        })).isInstanceOf(ConfigException.class).hasMessageContaining("TARGET_KMS_KEY_ARN")
                .hasMessageContaining("NotFoundException");
    }
}
