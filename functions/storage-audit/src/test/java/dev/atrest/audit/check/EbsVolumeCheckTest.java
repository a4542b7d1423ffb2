package dev.atrest.audit.check;

import static dev.atrest.audit.check.Evaluations.ACCOUNT;
import static dev.atrest.audit.check.Evaluations.NOW;
import static dev.atrest.audit.check.Evaluations.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EbsVolumeCheckTest {
    /** No gateway: an evaluation that read one would fail. */
    private final EbsVolumeCheck check = new EbsVolumeCheck(null);

    @ParameterizedTest(name = "volume encrypted={0} attached={1} key={2} manager={3} requireCmk={4} -> {5}")
    @CsvSource({
        "false, '',      ,      ,         false, FAILED, volume (unattached) is not encrypted",
        "false, i-1,     ,      ,         false, FAILED, 'volume (attached to i-1) is not encrypted'",
        "false, i-1;i-2, ,      ,         true,  FAILED, 'volume (attached to i-1, i-2) is not encrypted'",
        "true,  i-1,     arn:k, ,         false, PASSED, 'volume (attached to i-1) is encrypted'",
        "true,  '',      arn:k, CUSTOMER, true,  PASSED, volume (unattached) is encrypted with a customer managed key",
        "true,  '',      arn:a, AWS,      true,  FAILED, volume (unattached) uses the AWS managed key arn:a (a customer managed key is required)",
        "true,  i-1,     arn:u, UNKNOWN,  true,  FAILED, 'volume (attached to i-1) uses arn:u, which could not be verified as customer managed'",
    })
    void volumes(boolean encrypted, String attached, String key, KeyManager manager, boolean requireCmk,
            ComplianceStatus status, String reason) {
        List<String> instances = attached.isBlank() ? List.of() : List.of(attached.split(";"));
        String arn = "arn:aws:ec2:us-east-1:123456789012:volume/vol-1";
        Finding f = check.evaluate(new VolumeState("vol-1", arn, "us-east-1", encrypted, key, instances,
                Map.of("team", "a"), manager), context(requireCmk));

        assertThat(f.status()).isEqualTo(status);
        assertThat(f.reason()).isEqualTo(reason);
        assertThat(f.id()).isEqualTo("atrest/ebs-volume-encrypted/us-east-1/" + arn);
        assertThat(f.checkId()).isEqualTo("ebs-volume-encrypted");
        assertThat(f.controlId()).isEqualTo("EC2.3");
        assertThat(f.title()).isEqualTo("EBS volume is not encrypted at rest as required");
        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.resourceType()).isEqualTo("AwsEc2Volume");
        assertThat(f.accountId()).isEqualTo(ACCOUNT);
        assertThat(f.observedAt()).isEqualTo(NOW);
        assertThat(f.resourceTags()).isEqualTo(Map.of("team", "a"));
        assertThat(f.details().get("volumeId")).isEqualTo("vol-1");
        assertThat(f.details().get("attachedTo")).isEqualTo(attached.isBlank() ? null : attached.replace(';', ','));
        assertThat(f.details().get("kmsKeyId")).isEqualTo(key);
        assertThat(f.remediation()).contains("cannot be encrypted in place");
    }
}
