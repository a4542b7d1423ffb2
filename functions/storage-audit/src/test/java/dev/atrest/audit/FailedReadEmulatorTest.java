package dev.atrest.audit;

import static dev.atrest.audit.AuditFixture.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.audit.check.EbsDefaultEncryptionCheck;
import dev.atrest.audit.check.EbsSnapshotCheck;
import dev.atrest.audit.check.EbsVolumeCheck;
import dev.atrest.audit.check.EfsFileSystemCheck;
import dev.atrest.audit.check.S3BucketDefaultEncryptionCheck;
import dev.atrest.audit.check.TagDecision;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.TestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;

/**
 * The rule that matters most for a security audit: a read that failed is no evidence of compliance. Every
 * resource behind an open finding is fixed or deleted, then one read of the audit fails on every attempt. The
 * findings of what that read could not see must stay open (and the failure must be reported), while every other
 * finding is resolved: the same run shows that resolution works where the audit did see.
 */
@ExtendWith(EmulatorExtension.class)
class FailedReadEmulatorTest {
    static final String EAST = "us-east-1";
    static final String WEST = "eu-west-1";
    static final List<String> REGIONS = List.of(EAST, WEST);
    static final List<String> CHECKS = AuditFixture.CHECK_IDS;
    /** The checks the broken account gives an open finding in both regions (FSx and key stores have none here). */
    static final List<String> SEEDED = List.of(EbsVolumeCheck.DEFINITION.id(), EbsSnapshotCheck.DEFINITION.id(),
            EbsDefaultEncryptionCheck.DEFINITION.id(), EfsFileSystemCheck.DEFINITION.id(),
            S3BucketDefaultEncryptionCheck.DEFINITION.id(), "s3-bucket-blocks-sse-c", "kms-key-policy-not-public");
    static final String OPEN_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Everyone\","
            + "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    static final String CLOSED_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Root\","
            + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + TestContext.ACCOUNT + ":root\"},"
            + "\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    static final TestContext CONTEXT = new TestContext("StorageAuditFunction");

    private AuditFixture fx;
    private final Map<String, String> openKeys = new TreeMap<>();

    @BeforeEach
    void setUp(Emulator emulator) {
        fx = new AuditFixture(emulator);
    }

    /** One read failing on every attempt, and the scopes ("region/check") it leaves unseen. */
    record Case(String name, String rules, Set<String> unseen, String reported) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String rule(String service, String operation, String region, String fault) {
        return "{\"service\":\"" + service + "\",\"operation\":\"" + operation + "\",\"region\":\"" + region
                + "\",\"count\":-1," + fault + "}";
    }

    static final String UNAVAILABLE = "\"status\":503,\"code\":\"ServiceUnavailable\",\"message\":\"injected\"";
    static final String THROTTLED = "\"status\":400,\"code\":\"ThrottlingException\",\"message\":\"Rate exceeded\"";
    static final String INTERNAL = "\"status\":500,\"code\":\"InternalError\",\"message\":\"injected\"";
    static final String DROPPED = "\"drop\":true";

    static Set<String> scopes(List<String> regions, String... checks) {
        Set<String> out = new java.util.TreeSet<>();
        for (String r : regions) {
            for (String c : checks) {
                out.add(r + "/" + c);
            }
        }
        return out;
    }

    static Stream<Case> failingReads() {
        String volumes = EbsVolumeCheck.DEFINITION.id();
        String snapshots = EbsSnapshotCheck.DEFINITION.id();
        String defaults = EbsDefaultEncryptionCheck.DEFINITION.id();
        String efs = EfsFileSystemCheck.DEFINITION.id();
        String buckets = S3BucketDefaultEncryptionCheck.DEFINITION.id();
        List<Case> c = new ArrayList<>();
        c.add(new Case("DescribeVolumes 503", rule("ec2", "DescribeVolumes", WEST, UNAVAILABLE),
                scopes(List.of(WEST), volumes), "DescribeVolumes"));
        c.add(new Case("DescribeVolumes throttled", rule("ec2", "DescribeVolumes", WEST, THROTTLED),
                scopes(List.of(WEST), volumes), "ThrottlingException"));
        c.add(new Case("DescribeVolumes connection dropped", rule("ec2", "DescribeVolumes", WEST, DROPPED),
                scopes(List.of(WEST), volumes), "DescribeVolumes"));
        c.add(new Case("DescribeSnapshots 500", rule("ec2", "DescribeSnapshots", WEST, INTERNAL),
                scopes(List.of(WEST), snapshots), "DescribeSnapshots"));
        c.add(new Case("GetEbsEncryptionByDefault 503", rule("ec2", "GetEbsEncryptionByDefault", WEST, UNAVAILABLE),
                scopes(List.of(WEST), defaults), "GetEbsEncryptionByDefault"));
        c.add(new Case("GetEbsDefaultKmsKeyId 503", rule("ec2", "GetEbsDefaultKmsKeyId", WEST, UNAVAILABLE),
                scopes(List.of(WEST), defaults), "GetEbsDefaultKmsKeyId"));
        c.add(new Case("DescribeFileSystems 503", rule("elasticfilesystem", "GET /2015-02-01/file-systems", WEST,
                UNAVAILABLE), scopes(List.of(WEST), efs), "DescribeFileSystems"));
        String sseC = "s3-bucket-blocks-sse-c";
        c.add(new Case("ListBuckets 503", rule("s3", "ListBuckets", "*", UNAVAILABLE), scopes(REGIONS, buckets, sseC),
                "ListBuckets"));
        c.add(new Case("GetBucketEncryption 500", rule("s3", "GetBucketEncryption", "*", INTERNAL),
                scopes(REGIONS, buckets, sseC), "GetBucketEncryption"));
        String keyPolicies = "kms-key-policy-not-public";
        String keysAtRisk = "kms-key-protects-data";
        c.add(new Case("ListKeys 503", rule("kms", "ListKeys", WEST, UNAVAILABLE),
                scopes(List.of(WEST), keyPolicies, keysAtRisk), "ListKeys"));
        c.add(new Case("GetKeyPolicy 500", rule("kms", "GetKeyPolicy", WEST, INTERNAL),
                scopes(List.of(WEST), keyPolicies), "GetKeyPolicy"));
        c.add(new Case("Security Hub GetFindings 503 (history unknown)", rule("securityhub", "POST /findings", WEST,
                UNAVAILABLE), scopes(List.of(WEST), CHECKS.toArray(String[]::new)), "GetFindings"));
        c.add(new Case("STS GetCallerIdentity 503, no Lambda context (audit cannot start)",
                rule("sts", "GetCallerIdentity", "*", UNAVAILABLE), scopes(REGIONS, CHECKS.toArray(String[]::new)),
                "GetCallerIdentity"));
        return c.stream();
    }

    /** Every kind of resource, non-compliant, in both regions; returns the open finding ids by scope. */
    private Map<String, Set<String>> openFindingsOfABrokenAccount(List<String> efsIds, List<String> volumeIds,
            List<String> snapshotIds) {
        for (String region : REGIONS) {
            fx.hub(region).enableSecurityHub(b -> {});
            JsonNode ec2 = fx.seedEc2("{\"region\":\"" + region + "\",\"volumes\":[{\"count\":2}],"
                    + "\"snapshots\":[{\"count\":2}]}");
            volumeIds.addAll(ids(ec2, "volumeIds"));
            snapshotIds.addAll(ids(ec2, "snapshotIds"));
            efsIds.addAll(ids(fx.seedEfs("{\"region\":\"" + region + "\",\"fileSystems\":[{\"count\":1}]}"),
                    "fileSystemIds"));
            fx.bucket(region, "plain-" + region);
            openKeys.put(region, fx.kms(region).createKey(b -> b.policy(OPEN_POLICY)).keyMetadata().keyId());
        }
        JsonNode first = fx.run(reportOnly(), AuditFixture.SCHEDULE, CONTEXT);
        assertThat(first.path("errors")).as("the healthy first run").isEmpty();
        Map<String, Set<String>> open = new TreeMap<>();
        for (String region : REGIONS) {
            fx.findings(region).values().stream().filter(f -> "ACTIVE".equals(f.recordStateAsString()))
                    .forEach(f -> open.computeIfAbsent(region + "/" + f.productFields().get("atrest/CheckId"),
                            k -> new java.util.TreeSet<>()).add(f.id()));
        }
        assertThat(open.keySet()).as("every seeded check has an open finding in both regions")
                .isEqualTo(scopes(REGIONS, SEEDED.toArray(String[]::new)));
        return open;
    }

    /** Everything fixed or deleted: a healthy audit would now resolve every open finding. */
    private void fixEverything(List<String> efsIds, List<String> volumeIds, List<String> snapshotIds) {
        for (String region : REGIONS) {
            var ec2 = fx.ec2(region);
            ec2.describeSnapshots(b -> b.ownerIds("self")).snapshots().forEach(s ->
                    ec2.deleteSnapshot(b -> b.snapshotId(s.snapshotId())));
            ec2.describeVolumes(b -> {}).volumes().forEach(v -> ec2.deleteVolume(b -> b.volumeId(v.volumeId())));
            ec2.enableEbsEncryptionByDefault(b -> {});
            fx.efs(region).describeFileSystems(b -> {}).fileSystems().forEach(fs ->
                    fx.efs(region).deleteFileSystem(b -> b.fileSystemId(fs.fileSystemId())));
            fx.s3().putBucketEncryption(b -> b.bucket("plain-" + region).serverSideEncryptionConfiguration(c -> c
                    .rules(r -> r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS))
                            .blockedEncryptionTypes(t -> t.encryptionTypeWithStrings("SSE-C")))));
            fx.kms(region).putKeyPolicy(b -> b.keyId(openKeys.get(region)).policyName("default").policy(CLOSED_POLICY));
        }
        assertThat(volumeIds).hasSize(4);
        assertThat(snapshotIds).hasSize(4);
        assertThat(efsIds).hasSize(2);
    }

    static AuditConfig reportOnly() {
        return AuditFixture.reportOnly(EAST, WEST);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failingReads")
    void aFailedReadNeverResolvesTheFindingsItCouldNotSee(Case c) {
        List<String> efsIds = new ArrayList<>();
        List<String> volumeIds = new ArrayList<>();
        List<String> snapshotIds = new ArrayList<>();
        Map<String, Set<String>> open = openFindingsOfABrokenAccount(efsIds, volumeIds, snapshotIds);
        fixEverything(efsIds, volumeIds, snapshotIds);

        fx.emulator.post("/_atrest/faults", "{\"rules\":[" + c.rules() + "]}");
        JsonNode summary;
        try {
            // The account is read from STS only when no Lambda context names it.
            summary = fx.run(reportOnly(), AuditFixture.SCHEDULE,
                    c.reported().equals("GetCallerIdentity") ? null : CONTEXT);
        } finally {
            fx.emulator.post("/_atrest/faults", "{\"rules\":[]}");
        }

        assertThat(summary.path("errors").toString()).as("the failure is reported").contains(c.reported());
        Map<String, AwsSecurityFinding> hub = new TreeMap<>();
        REGIONS.forEach(r -> hub.putAll(fx.findings(r)));
        open.forEach((scope, findingIds) -> {
            for (String id : findingIds) {
                AwsSecurityFinding f = hub.get(id);
                if (c.unseen().contains(scope)) {
                    assertThat(f.recordStateAsString()).as(id + " (unseen) stays open").isEqualTo("ACTIVE");
                    assertThat(f.compliance().statusAsString()).as(id + " (unseen)").isEqualTo("FAILED");
                } else {
                    assertThat(f.recordStateAsString()).as(id + " (seen) is resolved").isEqualTo("ARCHIVED");
                    assertThat(f.compliance().statusAsString()).as(id + " (seen)").isEqualTo("PASSED");
                }
            }
        });
        // Each unseen scope is reported as failed, never as compliant.
        Set<String> failedItems = new java.util.TreeSet<>();
        Set<String> auditedItems = new java.util.TreeSet<>();
        summary.path("items").forEach(i -> {
            String outcome = i.path("outcome").asText();
            if ("AUDIT".equals(i.path("action").asText())) {
                (outcome.equals("RETRYABLE_FAILURE") || outcome.equals("FAILED") ? failedItems : auditedItems)
                        .add(i.path("resource").asText());
            }
        });
        for (String scope : c.unseen()) {
            if (!c.reported().equals("GetFindings")) { // without history the scope is audited, only not reconciled
                assertThat(auditedItems).as("an unseen scope is not reported as audited").doesNotContain(scope);
            }
            String region = scope.substring(0, scope.indexOf('/'));
            assertThat(failedItems.stream().anyMatch(r -> r.equals(scope) || r.equals(region + "/securityhub-history")
                    || r.equals("account"))).as(scope + " reported failed in " + failedItems).isTrue();
        }
    }

    /**
     * With REQUIRE_CUSTOMER_MANAGED_KEY, a file system and the EBS default are compliant only under a customer
     * managed key, which DescribeKey tells. DescribeKey failing for a moment is not evidence that the key is not
     * customer managed: no FAILED finding, no non-compliance tag, and the scope is reported failed.
     */
    @Test
    void aFailedDescribeKeyNeitherFailsNorTagsACompliantResource() {
        fx.hub(EAST).enableSecurityHub(b -> {});
        String cmk = fx.kms(EAST).createKey(b -> {}).keyMetadata().arn();
        String fs = ids(fx.seedEfs("{\"fileSystems\":[{\"count\":1,\"encrypted\":true,\"kmsKeyId\":\"" + cmk + "\"}]}"),
                "fileSystemIds").get(0);
        fx.ec2(EAST).enableEbsEncryptionByDefault(b -> {});
        fx.ec2(EAST).modifyEbsDefaultKmsKeyId(b -> b.kmsKeyId(cmk));
        AuditConfig live = AuditConfig.builder().regions(EAST).securityHubEnabled(true).tagResources(true)
                .dryRun(false).requireCustomerManagedKey(true).build();
        fx.emulator.post("/_atrest/faults", "{\"rules\":[" + rule("kms", "DescribeKey", "*", UNAVAILABLE) + "]}");
        JsonNode summary;
        try {
            summary = fx.run(live, AuditFixture.SCHEDULE, CONTEXT);
        } finally {
            fx.emulator.post("/_atrest/faults", "{\"rules\":[]}");
        }

        assertThat(fx.findings(EAST).values()).as("no finding for compliant resources")
                .noneMatch(f -> f.id().contains(fs) || f.id().contains(EbsDefaultEncryptionCheck.DEFINITION.id()));
        assertThat(fx.efs(EAST).describeFileSystems(b -> b.fileSystemId(fs)).fileSystems().get(0).tags())
                .noneMatch(t -> t.key().equals(TagDecision.TAG_KEY));
        assertThat(summary.path("errors").toString()).contains("DescribeKey");

        // The same run with KMS answering: both compliant, nothing written to them.
        JsonNode healthy = fx.run(live, AuditFixture.SCHEDULE, CONTEXT);
        assertThat(healthy.path("errors")).isEmpty();
        assertThat(AuditFixture.scope(healthy, EAST, EfsFileSystemCheck.DEFINITION.id()).path("details")
                .path("compliant").asInt()).isEqualTo(1);
        assertThat(AuditFixture.scope(healthy, EAST, EbsDefaultEncryptionCheck.DEFINITION.id()).path("details")
                .path("compliant").asInt()).isEqualTo(1);
    }

    /**
     * EBS encryption by default is turned on, then reading the setting back fails: the change was made, so it must
     * be in the summary (a write the report does not mention is the worst kind), the scope is reported failed, and
     * the open finding is not resolved on an unverified change.
     */
    @Test
    void aChangeWhoseReadBackFailsIsStillReportedAndResolvesNothing() {
        fx.hub(EAST).enableSecurityHub(b -> {});
        String cmk = fx.kms(EAST).createKey(b -> {}).keyMetadata().arn();
        fx.run(AuditFixture.reportOnly(EAST), AuditFixture.SCHEDULE, CONTEXT);
        String defaultsFinding = "atrest/ebs-default-encryption/us-east-1/AWS::::Account:" + TestContext.ACCOUNT;
        assertThat(fx.findings(EAST).get(defaultsFinding).recordStateAsString()).isEqualTo("ACTIVE");

        // The first read passes (and uses up the first rule), every later one fails: only the read-back fails.
        fx.emulator.post("/_atrest/faults", "{\"rules\":[{\"service\":\"ec2\",\"operation\":\"GetEbsEncryptionByDefault\","
                + "\"count\":1,\"status\":0,\"delay_ms\":1}," + rule("ec2", "GetEbsEncryptionByDefault", "*", UNAVAILABLE)
                + "]}");
        AuditCallLog.reset();
        JsonNode summary;
        try {
            summary = fx.run(AuditConfig.builder().regions(EAST).securityHubEnabled(true)
                    .enableEbsDefaultEncryption(true).ebsDefaultKmsKeyArn(cmk).dryRun(false).build(),
                    AuditFixture.SCHEDULE, CONTEXT);
        } finally {
            fx.emulator.post("/_atrest/faults", "{\"rules\":[]}");
        }

        assertThat(AuditCallLog.writes().stream().map(AuditCallLog.Write::operation))
                .as("the change was made").contains("EnableEbsEncryptionByDefault", "ModifyEbsDefaultKmsKeyId");
        assertThat(fx.ec2(EAST).getEbsEncryptionByDefault(b -> {}).ebsEncryptionByDefault()).isTrue();
        List<JsonNode> actions = AuditFixture.items(summary, "ENABLE_EBS_DEFAULT_ENCRYPTION");
        assertThat(actions).as("the change is reported").hasSize(1);
        assertThat(actions.get(0).path("details").path("verified").asBoolean(true)).isFalse();
        assertThat(actions.get(0).path("outcome").asText()).isIn("RETRYABLE_FAILURE", "FAILED");
        assertThat(actions.get(0).path("reason").asText()).contains("turn on").contains("GetEbsEncryptionByDefault");
        assertThat(summary.path("errors").toString()).contains("us-east-1/ebs-default-encryption");
        assertThat(fx.findings(EAST).get(defaultsFinding).recordStateAsString())
                .as("not resolved on an unverified change").isEqualTo("ACTIVE");
    }

    @Test
    void theCasesCoverEveryReadOfTheAudit() {
        Set<String> operations = failingReads().map(Case::rules).map(r -> r.replaceAll(".*\"operation\":\"([^\"]+)\".*", "$1"))
                .collect(Collectors.toSet());
        assertThat(operations).contains("DescribeVolumes", "DescribeSnapshots", "GetEbsEncryptionByDefault",
                "GetEbsDefaultKmsKeyId", "GET /2015-02-01/file-systems", "ListBuckets", "GetBucketEncryption",
                "POST /findings", "GetCallerIdentity", "ListKeys", "GetKeyPolicy");
    }
}
