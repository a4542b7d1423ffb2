package dev.atrest.audit.check;

import static dev.atrest.audit.check.Evaluations.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EbsSnapshotCheckTest {
    private final EbsSnapshotCheck check = new EbsSnapshotCheck(null);

    @ParameterizedTest(name = "snapshot encrypted={0} volume={1} manager={2} requireCmk={3} -> {4}")
    @CsvSource({
        "false, vol-1, ,         true,  FAILED, snapshot is not encrypted",
        "false,      , ,         false, FAILED, snapshot is not encrypted",
        "true,  vol-1, ,         false, PASSED, snapshot is encrypted",
        "true,  vol-1, CUSTOMER, true,  PASSED, snapshot is encrypted with a customer managed key",
        "true,  vol-1, AWS,      true,  FAILED, snapshot uses the AWS managed key arn:k (a customer managed key is required)",
        "true,  vol-1, UNKNOWN,  true,  FAILED, 'snapshot uses arn:k, which could not be verified as customer managed'",
    })
    void snapshots(boolean encrypted, String volume, KeyManager manager, boolean requireCmk, ComplianceStatus status,
            String reason) {
        String arn = "arn:aws:ec2:us-east-1::snapshot/snap-1";
        Finding f = check.evaluate(new SnapshotState("snap-1", arn, "us-east-1", encrypted, encrypted ? "arn:k" : null,
                volume, Map.of(), manager), context(requireCmk));

        assertThat(f.status()).isEqualTo(status);
        assertThat(f.reason()).isEqualTo(reason);
        assertThat(f.id()).isEqualTo("atrest/ebs-snapshot-encrypted/us-east-1/" + arn);
        assertThat(f.controlId()).isNull();
        assertThat(f.resourceType()).isEqualTo("Other");
        assertThat(f.details()).containsEntry("snapshotId", "snap-1");
        assertThat(f.details().get("kmsKeyId")).isEqualTo(encrypted ? "arn:k" : null);
        assertThat(f.details().get("volumeId")).isEqualTo(volume);
        assertThat(f.remediation()).contains("CopySnapshot");
    }
}
