package dev.atrest.audit.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.audit.AuditConfig;
import dev.atrest.audit.check.BucketState;
import dev.atrest.audit.check.EbsDefaultEncryptionCheck;
import dev.atrest.audit.check.EbsDefaultsState;
import dev.atrest.audit.check.EbsSnapshotCheck;
import dev.atrest.audit.check.EbsVolumeCheck;
import dev.atrest.audit.check.EfsFileSystemCheck;
import dev.atrest.audit.check.FileSystemState;
import dev.atrest.audit.check.RunContext;
import dev.atrest.audit.check.S3BucketDefaultEncryptionCheck;
import dev.atrest.audit.check.SnapshotState;
import dev.atrest.audit.check.VolumeState;
import dev.atrest.core.findings.Finding;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;

/** The ASFF mapping: who produced a finding, and a title that names the resource. */
class SecurityHubGatewayTest {
    private static final String ACCOUNT = "123456789012";
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final String PRODUCT = SecurityHubGateway.productArn("aws", "us-east-1", ACCOUNT);
    private final SecurityHubGateway gateway = new SecurityHubGateway(null, "storage-audit");

    /** The checks' pure evaluations (no gateway: a read would fail). */
    private static final RunContext RUN = new RunContext(ACCOUNT, "aws", NOW, AuditConfig.builder().build());

    static Stream<Arguments> findings() {
        return Stream.of(
                Arguments.of(new EbsVolumeCheck(null).evaluate(new VolumeState("vol-0abc", "arn:aws:ec2:us-east-1:" + ACCOUNT
                        + ":volume/vol-0abc", "us-east-1", false, null, List.of(), Map.of()), RUN),
                        "EBS volume is not encrypted at rest as required: vol-0abc"),
                Arguments.of(new EbsSnapshotCheck(null).evaluate(new SnapshotState("snap-0def", "arn:aws:ec2:us-east-1::snapshot/"
                        + "snap-0def", "us-east-1", false, null, "vol-0abc", Map.of()), RUN),
                        "EBS snapshot is not encrypted at rest as required: snap-0def"),
                Arguments.of(new EfsFileSystemCheck(null).evaluate(new FileSystemState("fs-0123", "arn:aws:elasticfilesystem:"
                        + "us-east-1:" + ACCOUNT + ":file-system/fs-0123", "us-east-1", false, null, null, Map.of()),
                        RUN), "EFS file system is not encrypted at rest as required: fs-0123"),
                Arguments.of(new S3BucketDefaultEncryptionCheck(null).evaluate(new BucketState("my.bucket-1", "arn:aws:s3:::my.bucket-1",
                        "us-east-1", "AES256", null), RUN),
                        "S3 bucket default encryption is not SSE-KMS as required: my.bucket-1"),
                Arguments.of(new EbsDefaultEncryptionCheck(null).evaluate(new EbsDefaultsState("eu-west-1", "AWS::::Account:" + ACCOUNT,
                        false, null, null), RUN),
                        "EBS encryption by default is off or does not use a customer managed key: eu-west-1 (account "
                                + ACCOUNT + ")"));
    }

    @ParameterizedTest
    @MethodSource("findings")
    void namesTheProductAndTheResource(Finding finding, String title) {
        AwsSecurityFinding asff = gateway.toAsff(finding, PRODUCT, "aws", NOW);

        assertThat(asff.productName()).isEqualTo("atrest");
        assertThat(asff.companyName()).isEqualTo("atrest");
        assertThat(asff.title()).isEqualTo(title);
    }

    @ParameterizedTest
    @MethodSource("findings")
    void aFindingReadBackAndResolvedNamesItsResourceOnce(Finding finding, String title) {
        AwsSecurityFinding imported = gateway.toAsff(finding, PRODUCT, "aws", NOW);

        Finding readBack = gateway.fromAsff(imported, finding.region());
        AwsSecurityFinding resolved = gateway.toAsff(readBack.resolved("the resource no longer exists", NOW), PRODUCT,
                "aws", NOW);

        assertThat(readBack.title()).isEqualTo(finding.title());
        assertThat(resolved.title()).isEqualTo(title);
    }

    @Test
    void anImportedTitleOfAnEarlierVersionIsKeptAndNamedOnce() {
        Finding volume = findings().findFirst().map(a -> (Finding) a.get()[0]).orElseThrow();
        AwsSecurityFinding earlier = gateway.toAsff(volume, PRODUCT, "aws", NOW).toBuilder()
                .title("EBS volume is not encrypted at rest").build();

        Finding readBack = gateway.fromAsff(earlier, "us-east-1");

        assertThat(gateway.toAsff(readBack, PRODUCT, "aws", NOW).title())
                .isEqualTo("EBS volume is not encrypted at rest: vol-0abc");
    }

    @Test
    void titleStaysWithinAsffsLimitAndEscapesWhatCouldForgeText() {
        String hostile = "vol-" + "x".repeat(300) + "\n\u202Eevil";
        Finding finding = new Finding(null, "ebs-volume-encrypted", "EC2.3", "T".repeat(400),
                dev.atrest.core.findings.Severity.MEDIUM, dev.atrest.core.findings.ComplianceStatus.FAILED,
                "AwsEc2Volume", "arn:aws:ec2:us-east-1:" + ACCOUNT + ":volume/" + hostile, "us-east-1", ACCOUNT,
                "volume is not encrypted", null, Map.of(), Map.of(), NOW);

        String title = gateway.toAsff(finding, PRODUCT, "aws", NOW).title();

        assertThat(title).hasSizeLessThanOrEqualTo(SecurityHubGateway.TITLE_MAX).startsWith("TTT").contains(": vol-xxx")
                .doesNotContain("\n").doesNotContain("\u202E");
        assertThat(gateway.toAsff(gateway.fromAsff(gateway.toAsff(finding, PRODUCT, "aws", NOW), "us-east-1"),
                PRODUCT, "aws", NOW).title()).isEqualTo(title);
    }

    /** Tags are the resource owner's text: ASFF's limits, and no control, format or bidi character as such. */
    @org.junit.jupiter.api.Test
    void hostileTagsAreBoundedAndNeutralised() {
        java.util.Map<String, String> tags = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            tags.put("k" + i + "\u202e" + "x".repeat(200), "\u0007<b>" + "v".repeat(1000));
        }
        java.util.Map<String, String> out = SecurityHubGateway.tags(tags);
        org.assertj.core.api.Assertions.assertThat(out).hasSize(50);
        out.forEach((k, v) -> {
            org.assertj.core.api.Assertions.assertThat(k).hasSizeLessThanOrEqualTo(128).doesNotContain("\u202e");
            org.assertj.core.api.Assertions.assertThat(v).hasSizeLessThanOrEqualTo(256).doesNotContain("\u0007");
        });
    }
}
