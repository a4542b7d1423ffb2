package dev.atrest.audit.check;

import static dev.atrest.audit.check.Evaluations.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KmsKeyPolicyCheckTest {
    private final KmsKeyPolicyCheck check = new KmsKeyPolicyCheck(null);
    static final String OPEN = "{\"Statement\":[{\"Sid\":\"Public\",\"Effect\":\"Allow\",\"Principal\":\"*\","
            + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}";
    static final String CLOSED = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
            + "\"arn:aws:iam::123456789012:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "Enabled  | CLOSED  | PASSED | no statement of the key policy allows everyone",
        "Enabled  | OPEN    | FAILED | key policy statement Public allows kms:Decrypt to Principal \"*\" without a condition",
        "Enabled  | garbage | FAILED | key policy could not be read as a policy document (the key policy is not JSON",
        "Disabled |         | PASSED | key is Disabled: only enabled keys are judged",
    })
    void policies(String state, String policy, ComplianceStatus status, String reason) {
        String text = policy == null ? null : switch (policy) {
            case "OPEN" -> OPEN;
            case "CLOSED" -> CLOSED;
            default -> "{not json";
        };
        String arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        Finding f = check.evaluate(new KmsKeyPolicyCheck.PolicyState(arn, "us-east-1", state, text), context(false));

        assertThat(f.status()).isEqualTo(status);
        assertThat(f.reason()).startsWith(reason);
        assertThat(f.id()).isEqualTo("atrest/kms-key-policy-not-public/us-east-1/" + arn);
        assertThat(f.controlId()).isEqualTo("KMS.5");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.details().get("openStatements")).isEqualTo("OPEN".equals(policy) ? "Public" : null);
    }
}
