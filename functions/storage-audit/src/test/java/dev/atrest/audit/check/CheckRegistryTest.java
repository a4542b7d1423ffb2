package dev.atrest.audit.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.audit.AuditConfig;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheckRegistryTest {
    static final FactKind<KeyUse> USES = KeyUse.KIND;
    static final FactKind<String> OTHER = new FactKind<>("other", String.class);

    private static List<List<String>> phaseIds(CheckRegistry r) {
        return r.phases().stream().map(p -> p.stream().map(AuditCheck::id).toList()).toList();
    }

    @Test
    void checksThatConsumeNothingShareTheFirstPhaseInRegistryOrder() {
        CheckRegistry r = new CheckRegistry(List.of(StubCheck.of("a"), StubCheck.of("b"), StubCheck.of("c")));
        assertThat(phaseIds(r)).containsExactly(List.of("a", "b", "c"));
        assertThat(r.consumed()).isEmpty();
    }

    @Test
    void consumersRunInALaterPhaseThanEveryProducerOfWhatTheyRead() {
        CheckRegistry r = new CheckRegistry(List.of(
                new StubCheck("reads-both", Set.of(), Set.of(USES, OTHER)),
                new StubCheck("gives-uses", Set.of(USES), Set.of()),
                new StubCheck("reads-uses-gives-other", Set.of(OTHER), Set.of(USES)),
                StubCheck.of("alone")));

        assertThat(phaseIds(r)).containsExactly(List.of("gives-uses", "alone"), List.of("reads-uses-gives-other"),
                List.of("reads-both"));
        assertThat(r.consumed()).containsExactlyInAnyOrder(USES, OTHER);
    }

    @Test
    void aRegistryThatCannotRunFailsWhenBuilt() {
        assertThatThrownBy(() -> new CheckRegistry(List.of(StubCheck.of("a"), StubCheck.of("a"))))
                .hasMessageContaining("two checks have the id a");
        assertThatThrownBy(() -> new CheckRegistry(List.of(new StubCheck("a", Set.of(), Set.of(USES)))))
                .hasMessageContaining("a consumes key-use, which no check produces");
        assertThatThrownBy(() -> new CheckRegistry(List.of(new StubCheck("a", Set.of(USES), Set.of(OTHER)),
                new StubCheck("b", Set.of(OTHER), Set.of(USES))))).hasMessageContaining("cycle");
    }

    @Test
    void routesAResourceToTheChecksOfItsKind() {
        CheckRegistry r = new CheckRegistry(List.of(StubCheck.of("a"), StubCheck.of("b")));
        assertThat(r.auditing("b:x")).extracting(AuditCheck::id).containsExactly("b");
        assertThat(r.auditing("c:x")).isEmpty();
        assertThat(r.byId("a")).isPresent();
        assertThat(r.byId("z")).isEmpty();
    }

    /** The standard checks without AWS: their shape, the resources they claim, how they tag. */
    @Test
    void theStandardChecks() {
        CheckRegistry r = CheckRegistry.standard(new dev.atrest.audit.aws.AuditGateways(null, null, null, null, null,
                null));
        assertThat(r.checks()).extracting(AuditCheck::id).containsExactly("ebs-volume-encrypted",
                "ebs-snapshot-encrypted", "ebs-default-encryption", "efs-encrypted", "s3-bucket-default-kms",
                "fsx-file-system-key", "fsx-backup-key", "s3-bucket-blocks-sse-c", "kms-custom-key-store-connected",
                "kms-key-policy-not-public", "kms-key-protects-data");
        // Keys that protect data are judged once every resource using a key has been read.
        assertThat(phaseIds(r)).hasSize(2);
        assertThat(phaseIds(r).get(1)).containsExactly("kms-key-protects-data");
        assertThat(r.checks()).filteredOn(c -> c.reach() == CheckReach.ACCOUNT).extracting(AuditCheck::id)
                .containsExactly("s3-bucket-default-kms", "s3-bucket-blocks-sse-c");
        assertThat(r.checks()).filteredOn(c -> c.tagging().isPresent()).extracting(AuditCheck::id)
                .containsExactly("ebs-volume-encrypted", "ebs-snapshot-encrypted", "efs-encrypted");
        assertThat(r.checks()).filteredOn(c -> c.produces().contains(KeyUse.KIND)).extracting(AuditCheck::id)
                .containsExactly("ebs-volume-encrypted", "ebs-snapshot-encrypted", "ebs-default-encryption",
                        "efs-encrypted", "s3-bucket-default-kms", "fsx-file-system-key", "fsx-backup-key");

        assertThat(r.auditing("arn:aws:ec2:us-east-1:123456789012:volume/vol-1")).extracting(AuditCheck::id)
                .containsExactly("ebs-volume-encrypted");
        assertThat(r.auditing("arn:aws:ec2:us-east-1::snapshot/snap-1")).extracting(AuditCheck::id)
                .containsExactly("ebs-snapshot-encrypted");
        assertThat(r.auditing("arn:aws-us-gov:elasticfilesystem:us-gov-west-1:123456789012:file-system/fs-1"))
                .extracting(AuditCheck::id).containsExactly("efs-encrypted");
        assertThat(r.auditing("arn:aws:s3:::bucket")).extracting(AuditCheck::id).containsExactly("s3-bucket-default-kms",
                "s3-bucket-blocks-sse-c");
        assertThat(r.auditing("arn:aws:fsx:us-east-1:123456789012:file-system/fs-0123456789abcdef0"))
                .extracting(AuditCheck::id).containsExactly("fsx-file-system-key");
        assertThat(r.auditing("arn:aws:fsx:us-east-1:123456789012:backup/backup-0123456789abcdef0"))
                .extracting(AuditCheck::id).containsExactly("fsx-backup-key");
        assertThat(r.auditing("arn:aws:kms:us-east-1:123456789012:key/k")).extracting(AuditCheck::id)
                .containsExactly("kms-key-policy-not-public", "kms-key-protects-data");
        assertThat(r.auditing("arn:aws:kms:us-east-1:123456789012:custom-key-store/cks-1234567890abcdef0"))
                .extracting(AuditCheck::id).containsExactly("kms-custom-key-store-connected");
        assertThat(r.auditing("AWS::::Account:123456789012")).extracting(AuditCheck::id)
                .containsExactly("ebs-default-encryption");
        for (String notOurs : List.of("arn:aws:s3:::bucket/key", "arn:aws:s3:us-east-1:123456789012:accesspoint/ap",
                "arn:aws:ec2:us-east-1:123456789012:instance/i-1", "arn:aws:ec2:us-east-1:123456789012:volume/",
                "vol-1", "arn:aws:kms:us-east-1:123456789012:alias/a", "")) {
            assertThat(r.auditing(notOurs)).as(notOurs).isEmpty();
        }

        // Tagging is the one conditional grant every tagging check adds; remediation only where a check remediates.
        assertThat(r.byId("efs-encrypted").orElseThrow().permissions()).containsExactly(
                Permission.always(Set.of("elasticfilesystem:DescribeFileSystems", "kms:DescribeKey")),
                Permission.enabledBy(AuditConfig.TAG_RESOURCES, "elasticfilesystem:TagResource",
                        "elasticfilesystem:UntagResource"));
        assertThat(r.byId("ebs-default-encryption").orElseThrow().permissions()).containsExactly(
                Permission.always("ec2:GetEbsEncryptionByDefault", "ec2:GetEbsDefaultKmsKeyId", "kms:DescribeKey"),
                Permission.enabledBy(AuditConfig.ENABLE_EBS_DEFAULT_ENCRYPTION, "ec2:EnableEbsEncryptionByDefault",
                        "ec2:ModifyEbsDefaultKmsKeyId"));
        assertThat(r.byId("s3-bucket-blocks-sse-c").orElseThrow().permissions()).containsExactly(
                Permission.always("s3:ListAllMyBuckets", "s3:GetBucketLocation", "s3:GetEncryptionConfiguration"),
                Permission.enabledBy(AuditConfig.BLOCK_SSE_C, "s3:PutEncryptionConfiguration"));
    }
}
