package dev.atrest.audit.check;

import static dev.atrest.audit.check.Evaluations.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KmsCustomKeyStoreCheckTest {
    private final KmsCustomKeyStoreCheck check = new KmsCustomKeyStoreCheck(null);

    @ParameterizedTest(name = "{0} {1} enabled keys={2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "CONNECTED     |                | 3 | PASSED | custom key store is CONNECTED",
        "DISCONNECTED  |                | 0 | PASSED | custom key store is DISCONNECTED but holds no enabled key",
        "DISCONNECTED  |                | 1 | FAILED | custom key store is DISCONNECTED while 1 enabled key is in it: data under them can be neither read nor written until it reconnects",
        "FAILED        | NETWORK_ERRORS | 2 | FAILED | custom key store is FAILED (NETWORK_ERRORS) while 2 enabled keys are in it: data under them can be neither read nor written until it reconnects",
        "CONNECTING    |                | 2 | FAILED | custom key store is CONNECTING while 2 enabled keys are in it: data under them can be neither read nor written until it reconnects",
        "DISCONNECTING |                | 5 | FAILED | custom key store is DISCONNECTING while 5 enabled keys are in it: data under them can be neither read nor written until it reconnects",
    })
    void stores(String state, String code, int enabledKeys, ComplianceStatus status, String reason) {
        String resource = KmsCustomKeyStoreCheck.resourceId("aws", "us-east-1", "123456789012", "cks-1234567890abcdef0");
        Finding f = check.evaluate(new KmsCustomKeyStoreCheck.StoreState("cks-1234567890abcdef0", "hsm", "AWS_CLOUDHSM",
                resource, "us-east-1", state, code, enabledKeys), context(false));

        assertThat(f.status()).isEqualTo(status);
        assertThat(f.reason()).isEqualTo(reason);
        assertThat(f.resourceId()).isEqualTo("arn:aws:kms:us-east-1:123456789012:custom-key-store/cks-1234567890abcdef0");
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.details()).containsEntry("connectionState", state).containsEntry("customKeyStoreType",
                "AWS_CLOUDHSM");
        assertThat(f.details().get("connectionErrorCode")).isEqualTo(code);
    }
}
