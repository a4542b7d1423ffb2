package dev.atrest.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.audit.check.AuditCheck;
import dev.atrest.audit.check.EbsDefaultsState;
import dev.atrest.audit.check.EbsRemediation;
import dev.atrest.audit.check.KeyManager;
import dev.atrest.audit.check.TagDecision;
import dev.atrest.core.config.RegionSelection;
import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PoliciesTest {

    @ParameterizedTest(name = "{0} failed={1} tag={2} -> {3}")
    @CsvSource({
        "ebs-volume-encrypted,   true,  ,                                 ADD",
        "ebs-volume-encrypted,   true,  EC2.3 ebs-volume-encrypted,       NONE",
        "ebs-volume-encrypted,   true,  stale,                            ADD",
        "ebs-volume-encrypted,   false, EC2.3 ebs-volume-encrypted,       REMOVE",
        "ebs-volume-encrypted,   false, ,                                 NONE",
        "ebs-snapshot-encrypted, true,  ,                                 ADD",
        "efs-encrypted,          false, EFS.1 efs-encrypted,              REMOVE",
        "s3-bucket-default-kms,  true,  ,                                 NONE",
        "ebs-default-encryption, true,  ,                                 NONE",
    })
    void tagging(String check, boolean failed, String tag, TagDecision.Action expected) {
        String control = switch (check) {
            case "ebs-volume-encrypted" -> "EC2.3";
            case "efs-encrypted" -> "EFS.1";
            default -> null;
        };
        Finding f = new Finding(null, check, control, "t", Severity.MEDIUM,
                failed ? ComplianceStatus.FAILED : ComplianceStatus.PASSED, "Other", "r", "us-east-1", "1", "x", "y",
                tag == null ? Map.of() : Map.of(TagDecision.TAG_KEY, tag), Map.of(), java.time.Instant.EPOCH);
        AuditCheck<?, ?> registered = AuditFixture.CHECKS.byId(check).orElseThrow();
        assertThat(TagDecision.decide(registered, f)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "remediation enabled={0} on={1} key={2} -> {3}")
    @CsvSource({
        "false, false, ,                                               NONE,",
        "true,  true,  ,                                               NONE,",
        "true,  false, ,                                               ENABLE,",
        "true,  false, arn:aws:kms:us-east-1:123456789012:key/abc,     ENABLE_WITH_KEY, arn:aws:kms:us-east-1:123456789012:key/abc",
        "true,  false, arn:aws:kms:eu-west-1:123456789012:key/abc,     ENABLE,",
    })
    void ebsRemediation(boolean enabled, boolean on, String key, EbsRemediation.Action action, String keyUsed) {
        EbsRemediation.Decision d = EbsRemediation.decide(
                new EbsDefaultsState("us-east-1", "acct", on, "alias/aws/ebs", null), enabled, key);
        assertThat(d.action()).isEqualTo(action);
        assertThat(d.keyArn()).isEqualTo(keyUsed);
        assertThat(d.reason()).isNotBlank();
    }

    @ParameterizedTest(name = "key {0} -> {1}")
    @CsvSource({
        "alias/aws/ebs,                                                  AWS",
        "arn:aws:kms:us-east-1:123456789012:alias/aws/elasticfilesystem, AWS",
        "alias/mine,                                                     UNKNOWN",
        "arn:aws:kms:us-east-1:123456789012:key/abc,                     UNKNOWN",
        "'',                                                             ",
    })
    void keyReferences(String key, KeyManager expected) {
        assertThat(KeyManager.fromReference(key)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "regions {0} all={1} -> {2}")
    @CsvSource({
        "'',                  false, us-east-1",
        "eu-west-1;us-east-1, false, eu-west-1;us-east-1",
        "eu-west-1;eu-west-1, false, eu-west-1",
        "'',                  true,  ap-south-1;eu-west-1;us-east-1",
    })
    void regions(String configured, boolean all, String expected) {
        List<String> list = configured.isBlank() ? List.of() : Arrays.asList(configured.split(";"));
        assertThat(RegionSelection.resolve(list, all, "us-east-1", () -> List.of("us-east-1", "eu-west-1", "ap-south-1")))
                .containsExactly(expected.split(";"));
    }
}
