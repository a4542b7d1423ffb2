package dev.atrest.audit.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.audit.AuditConfig;
import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KmsKeyDataAtRiskCheckTest {
    private final KmsKeyDataAtRiskCheck check = new KmsKeyDataAtRiskCheck(null);
    static final String ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String VOLUME = "arn:aws:ec2:us-east-1:123456789012:volume/vol-0123456789abcdef0";
    static final String BUCKET = "arn:aws:s3:::data";
    static final RunContext CONTEXT = new RunContext(Evaluations.ACCOUNT, "aws", Evaluations.NOW,
            AuditConfig.builder().keyMaterialExpiryWarningDays(30).build());

    @ParameterizedTest(name = "{0} deletion={1} validTo={2} dependents={3} -> {4}")
    @CsvSource(delimiter = '|', value = {
        "Enabled         |                      |                      | 2 | PASSED | key is Enabled",
        "Enabled         |                      | 2027-06-01T00:00:00Z | 2 | PASSED | key is Enabled, key material valid to 2027-06-01T00:00:00Z",
        "PendingDeletion | 2026-12-04T00:00:00Z |                      | 2 | FAILED | key is scheduled for deletion on 2026-12-04T00:00:00Z while 2 resources (" + VOLUME + ", " + BUCKET + ") still depend on it: their data becomes unreadable",
        "PendingDeletion | 2026-12-04T00:00:00Z |                      | 0 | PASSED | key is scheduled for deletion on 2026-12-04T00:00:00Z, but no resource the audit found depends on it",
        "Disabled        |                      |                      | 1 | FAILED | key is disabled while 1 resource (" + VOLUME + ") still depends on it: their data becomes unreadable",
        "PendingImport   |                      |                      | 1 | FAILED | key has no key material (PendingImport) while 1 resource (" + VOLUME + ") still depends on it: their data becomes unreadable",
        "Enabled         |                      | 2026-12-20T00:00:00Z | 1 | FAILED | key has imported key material that expires on 2026-12-20T00:00:00Z while 1 resource (" + VOLUME + ") still depends on it: their data becomes unreadable",
        "Enabled         |                      | 2026-12-27T00:00:00Z | 1 | FAILED | key has imported key material that expires on 2026-12-27T00:00:00Z while 1 resource (" + VOLUME + ") still depends on it: their data becomes unreadable",
        "Enabled         |                      | 2026-12-27T00:00:01Z | 1 | PASSED | key is Enabled, key material valid to 2026-12-27T00:00:01Z",
    })
    void keys(String state, Instant deletion, Instant validTo, int dependents, ComplianceStatus status, String reason) {
        KeyInfo key = new KeyInfo(ARN, ARN, KeyManager.CUSTOMER, state, deletion, validTo, null, null);
        Finding f = check.evaluate(new KmsKeyDataAtRiskCheck.KeyRisk(key, ARN, "us-east-1",
                List.of(VOLUME, BUCKET).subList(0, dependents)), CONTEXT);

        assertThat(f.status()).isEqualTo(status);
        assertThat(f.reason()).isEqualTo(reason);
        assertThat(f.id()).isEqualTo("atrest/kms-key-protects-data/us-east-1/" + ARN);
        assertThat(f.controlId()).isEqualTo("KMS.3");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.details()).containsEntry("keyState", state).containsEntry("dependentCount",
                Integer.toString(dependents));
        assertThat(f.details().get("deletionDate")).isEqualTo(deletion == null ? null : deletion.toString());
        assertThat(f.details().get("dependents")).isEqualTo(dependents == 0 ? null
                : String.join(",", List.of(VOLUME, BUCKET).subList(0, dependents)));
    }

    @Test
    void aKeyThatCannotBeDescribedIsNotPassedWhileDataDependsOnIt() {
        KeyInfo key = KeyInfo.unreadable(ARN, "DescribeKey: AccessDeniedException");
        Finding f = check.evaluate(new KmsKeyDataAtRiskCheck.KeyRisk(key, ARN, "us-east-1", List.of(VOLUME)), CONTEXT);
        assertThat(f.status()).isEqualTo(ComplianceStatus.FAILED);
        assertThat(f.reason()).isEqualTo("key could not be described (DescribeKey: AccessDeniedException): whether the "
                + "1 resource (" + VOLUME + ") under it can still be read is unknown");
    }

    @Test
    void everyDependentIsCountedAndTheFirstFiftyNamed() {
        List<String> many = IntStream.range(0, 120).mapToObj(i -> "arn:aws:ec2:us-east-1::snapshot/snap-" + (1000 + i))
                .toList();
        KeyInfo key = new KeyInfo(ARN, ARN, KeyManager.CUSTOMER, "Disabled", null, null, null, null);
        Finding f = check.evaluate(new KmsKeyDataAtRiskCheck.KeyRisk(key, ARN, "us-east-1", many), CONTEXT);
        assertThat(f.reason()).startsWith("key is disabled while 120 resources (").contains(", ...)");
        assertThat(f.details().get("dependents").split(",")).hasSize(51).endsWith("...");
    }
}
