package dev.atrest.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetKeyTest {
    static final String ACCOUNT = "111122223333";
    static final String REGION = "eu-west-1";
    static final String KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @ParameterizedTest(name = "[{index}] {0} {1} {2} {3} {4} -> {5}")
    @CsvSource(nullValues = "null", value = {
        // arn,                                                  manager,  spec,              usage,               state,           refused because
        KEY + ",                                                 CUSTOMER, SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT,     Enabled,         null",
        "arn:aws:kms:eu-west-1:444455556666:key/k1,              CUSTOMER, SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT,     Enabled,         belongs to account 444455556666",
        "arn:aws:kms:us-east-1:111122223333:key/k1,              CUSTOMER, SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT,     Enabled,         is in us-east-1",
        KEY + ",                                                 AWS,      SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT,     Enabled,         managed by AWS",
        KEY + ",                                                 CUSTOMER, RSA_2048,          ENCRYPT_DECRYPT,     Enabled,         key spec RSA_2048",
        KEY + ",                                                 CUSTOMER, HMAC_256,          GENERATE_VERIFY_MAC, Enabled,         key spec HMAC_256",
        KEY + ",                                                 CUSTOMER, SYMMETRIC_DEFAULT, SIGN_VERIFY,         Enabled,         key usage SIGN_VERIFY",
        KEY + ",                                                 CUSTOMER, SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT,     Disabled,        is Disabled",
        KEY + ",                                                 CUSTOMER, SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT,     PendingDeletion, is PendingDeletion",
        KEY + ",                                                 CUSTOMER, SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT,     PendingImport,   is PendingImport",
        KEY + ",                                                 null,     SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT,     Enabled,         managed by null",
        "arn:aws:kms:eu-west-1:111122223333:alias/atrest,        CUSTOMER, SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT,     Enabled,         did not answer a key ARN",
    })
    void decides(String arn, String manager, String spec, String usage, String state, String because) {
        String refusal = TargetKey.refusal(new TargetKey.Facts(arn, manager, spec, usage, state), ACCOUNT, REGION);
        if (because == null) {
            assertThat(refusal).isNull();
        } else {
            assertThat(refusal).contains(because);
        }
    }

    @Test
    void resolvesAnAliasToItsKey() {
        assertThat(TargetKey.resolve("arn:aws:kms:eu-west-1:111122223333:alias/atrest", ACCOUNT, REGION,
                ref -> new TargetKey.Facts(KEY, "CUSTOMER", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "Enabled")))
                .isEqualTo(KEY);
    }

    @Test
    void aRefusalNamesTheVariableAndTheReason() {
        assertThatThrownBy(() -> TargetKey.resolve(KEY, "999999999999", REGION,
                ref -> new TargetKey.Facts(KEY, "CUSTOMER", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "Enabled")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TARGET_KMS_KEY_ARN='" + KEY + "' is refused")
                .hasMessageContaining("not to this function's account 999999999999");
    }

    @Test
    void aKeyThatCannotBeDescribedIsRefused() {
        assertThatThrownBy(() -> TargetKey.resolve(KEY, ACCOUNT, REGION, ref -> {
            throw new IllegalStateException("NotFoundException: Key '" + ref + "' does not exist\u202e");
        })).isInstanceOf(ConfigException.class)
                .hasMessageContaining("TARGET_KMS_KEY_ARN=")
                .hasMessageContaining("could not be described")
                .hasMessageContaining("does not exist")
                .hasMessageNotContaining("\u202e");
    }
}
