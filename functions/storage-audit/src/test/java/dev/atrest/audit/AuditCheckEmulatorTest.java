package dev.atrest.audit;

import static dev.atrest.audit.AuditFixture.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.audit.aws.AuditGateways;
import dev.atrest.audit.check.AuditCheck;
import dev.atrest.audit.check.AuditRun;
import dev.atrest.audit.check.CheckDefinition;
import dev.atrest.audit.check.CheckReach;
import dev.atrest.audit.check.CheckRegistry;
import dev.atrest.audit.check.FactKind;
import dev.atrest.audit.check.KeyDirectory;
import dev.atrest.audit.check.KeyUse;
import dev.atrest.audit.check.RunContext;
import dev.atrest.audit.check.RunFacts;
import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.FindingsReport;
import dev.atrest.core.findings.Severity;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.TestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * What the check interface promises beyond a scheduled audit, against the emulator: one resource named by its
 * finding's resource id is read and judged to the very finding (same id, status, reason, details) the full audit
 * gives it, and nothing once it is gone; and facts one check gives reach a check of a later phase in the same run,
 * marked incomplete where their producer could not read.
 */
@ExtendWith(EmulatorExtension.class)
class AuditCheckEmulatorTest {
    static final String EAST = "us-east-1";
    static final String WEST = "eu-west-1";

    private AuditFixture fx;
    private String cmk;
    private String cmkVolume;
    private String plainVolume;
    private String plainSnapshot;
    private String cmkFileSystem;

    @BeforeEach
    void setUp(Emulator emulator) {
        fx = new AuditFixture(emulator);
        cmk = fx.kms(EAST).createKey(b -> {}).keyMetadata().arn();
        List<String> volumes = ids(fx.seedEc2("{\"volumes\":[{\"count\":1},{\"count\":1,\"encrypted\":true,"
                + "\"kmsKeyId\":\"" + cmk + "\",\"tags\":{\"team\":\"a\"}}],\"snapshots\":[{\"count\":1},"
                + "{\"count\":1,\"encrypted\":true}]}"), "volumeIds");
        plainVolume = volumes.get(0);
        cmkVolume = volumes.get(1);
        plainSnapshot = ids(fx.seedEc2("{\"snapshots\":[{\"count\":1}]}"), "snapshotIds").get(0);
        cmkFileSystem = ids(fx.seedEfs("{\"fileSystems\":[{\"count\":1,\"encrypted\":true,\"kmsKeyId\":\"" + cmk
                + "\"}]}"), "fileSystemIds").get(0);
        fx.seedEfs("{\"fileSystems\":[{\"count\":1},{\"count\":1,\"encrypted\":true}]}");
        fx.ec2(EAST).enableEbsEncryptionByDefault(b -> {});
        fx.ec2(EAST).modifyEbsDefaultKmsKeyId(b -> b.kmsKeyId(cmk));
        fx.bucket(EAST, "plain");
        fx.bucket(EAST, "kms");
        fx.s3().putBucketEncryption(b -> b.bucket("kms").serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS)
                        .kmsMasterKeyID(cmk)))));
        fx.bucket(WEST, "west");
        var fsx = fx.clients.client("fsx", software.amazon.awssdk.regions.Region.US_EAST_1,
                software.amazon.awssdk.services.fsx.FSxClient::builder);
        String fs = fsx.createFileSystem(b -> b.fileSystemType("OPENZFS").storageCapacity(64)
                .subnetIds("subnet-0123456789abcdef0")).fileSystem().fileSystemId();
        fsx.createBackup(b -> b.fileSystemId(fs));
        String store = fx.kms(EAST).createCustomKeyStore(b -> b.customKeyStoreName("hsm")
                .cloudHsmClusterId("cluster-abcdefghijk").trustAnchorCertificate("-----BEGIN CERTIFICATE-----")
                .keyStorePassword("kmsuser-pw")).customKeyStoreId();
        fx.kms(EAST).connectCustomKeyStore(b -> b.customKeyStoreId(store));
        fx.kms(EAST).createKey(b -> b.customKeyStoreId(store).origin("AWS_CLOUDHSM"));
        fx.kms(EAST).disconnectCustomKeyStore(b -> b.customKeyStoreId(store));
    }

    static AuditConfig reportOnly() {
        return AuditConfig.builder().regions(EAST, WEST).requireCustomerManagedKey(true).build();
    }

    private static AuditRun runAt(AuditGateways aws, FindingsReport report) {
        return runAt(aws, report, new CheckRegistry(List.of()));
    }

    private static AuditRun runAt(AuditGateways aws, FindingsReport report, CheckRegistry checks) {
        return new AuditRun(new RunContext(TestContext.ACCOUNT, "aws", report.observedAt(), reportOnly()),
                new KeyDirectory(aws.kms()), new RunFacts(checks.consumed()));
    }

    @Test
    void oneResourceNamedByItsFindingIsJudgedToTheFindingTheFullAuditGivesIt() {
        AuditGateways aws = AuditGateways.of(fx.clients);
        CheckRegistry checks = CheckRegistry.standard(aws);
        FindingsReport report = fx.runChecks(aws, checks, reportOnly()).report();
        assertThat(report.failures()).isEmpty();
        assertThat(report.evaluations().stream().map(Finding::checkId).collect(Collectors.toSet()))
                .as("every check judged something").containsExactlyInAnyOrderElementsOf(AuditFixture.CHECK_IDS);
        assertThat(report.evaluations()).extracting(Finding::status).contains(ComplianceStatus.PASSED,
                ComplianceStatus.FAILED);

        for (Finding full : report.evaluations()) {
            List<AuditCheck<?, ?>> routed = checks.auditing(full.resourceId());
            assertThat(routed).as("routing " + full.resourceId()).extracting(AuditCheck::id).contains(full.checkId());
            AuditCheck<?, ?> check = checks.byId(full.checkId()).orElseThrow();
            // A fresh run per resource, as an event gets: a check reading other checks' facts has them gathered.
            AuditRun run = runAt(aws, report, checks);
            checks.shareFacts(check, full.region(), run);
            assertThat(check.auditOne(run, full.region(), full.resourceId())).as(full.id()).contains(full);
        }
    }

    @Test
    void aResourceThatIsGoneOrNeverWasHasNoFinding() {
        AuditGateways aws = AuditGateways.of(fx.clients);
        CheckRegistry checks = CheckRegistry.standard(aws);
        FindingsReport report = fx.runChecks(aws, checks, reportOnly()).report();
        fx.ec2(EAST).deleteVolume(b -> b.volumeId(plainVolume));
        fx.ec2(EAST).deleteSnapshot(b -> b.snapshotId(plainSnapshot));
        fx.efs(EAST).deleteFileSystem(b -> b.fileSystemId(cmkFileSystem));
        fx.s3().deleteBucket(b -> b.bucket("plain"));
        AuditRun run = runAt(aws, report);

        String volumes = "arn:aws:ec2:us-east-1:" + TestContext.ACCOUNT + ":volume/";
        String fileSystems = "arn:aws:elasticfilesystem:us-east-1:" + TestContext.ACCOUNT + ":file-system/";
        for (String gone : List.of(volumes + plainVolume, volumes + "vol-0123456789abcdef0",
                "arn:aws:ec2:us-east-1::snapshot/" + plainSnapshot, fileSystems + cmkFileSystem,
                fileSystems + "fs-00000000", "arn:aws:s3:::plain", "arn:aws:s3:::never-created",
                "AWS::::Account:999999999999")) {
            List<AuditCheck<?, ?>> routed = checks.auditing(gone);
            assertThat(routed).as(gone).isNotEmpty();
            for (AuditCheck<?, ?> check : routed) {
                assertThat(check.auditOne(run, EAST, gone)).as(check.id() + " " + gone).isEmpty();
            }
        }
        // Still there: found.
        assertThat(checks.auditing(volumes + cmkVolume).get(0).auditOne(run, EAST, volumes + cmkVolume)).isPresent();
    }

    /** A consumer of key uses, as the checks of keys pending deletion will be: it records what it was given. */
    static final class KeyUseProbe implements AuditCheck<String, String> {
        static final CheckDefinition DEFINITION = new CheckDefinition("probe-key-use", null, "probe", Severity.LOW,
                "Other", null);
        final Map<String, List<KeyUse>> seen = new ConcurrentHashMap<>();
        final Map<String, Boolean> complete = new ConcurrentHashMap<>();

        @Override
        public CheckDefinition definition() {
            return DEFINITION;
        }

        @Override
        public CheckReach reach() {
            return CheckReach.REGION;
        }

        @Override
        public Set<FactKind<?>> consumes() {
            return Set.of(KeyUse.KIND);
        }

        @Override
        public void list(AuditRun run, List<String> regions, Consumer<String> out) {
            regions.forEach(out);
        }

        @Override
        public Optional<String> find(AuditRun run, String region, String resourceId) {
            return Optional.empty();
        }

        @Override
        public boolean audits(String resourceId) {
            return false;
        }

        @Override
        public String region(String region) {
            return region;
        }

        @Override
        public String describe(AuditRun run, String region) {
            seen.put(region, run.facts().all(KeyUse.KIND).stream().filter(u -> u.region().equals(region)).toList());
            complete.put(region, run.facts().complete(KeyUse.KIND, region));
            return region;
        }

        @Override
        public Finding evaluate(String region, RunContext context) {
            return DEFINITION.finding(context, ComplianceStatus.PASSED, "probe/" + region, region, "seen",
                    Map.of(), Map.of());
        }

        @Override
        public Set<String> readActions() {
            return Set.of();
        }
    }

    @Test
    void factsOneCheckGivesReachACheckOfALaterPhaseInTheSameRun() {
        AuditGateways aws = AuditGateways.of(fx.clients);
        KeyUseProbe probe = new KeyUseProbe();
        List<AuditCheck<?, ?>> all = new ArrayList<>(CheckRegistry.standard(aws).checks());
        all.add(0, probe); // listed first, scheduled after every producer
        CheckRegistry checks = new CheckRegistry(all);
        assertThat(checks.phases()).hasSize(2);
        assertThat(checks.phases().get(1)).contains(probe).doesNotContain(all.get(1));

        fx.runChecks(aws, checks, reportOnly());

        String account = "AWS::::Account:" + TestContext.ACCOUNT;
        assertThat(probe.seen.get(EAST)).filteredOn(u -> u.keyId().equals(cmk)).extracting(KeyUse::resourceId)
                .containsExactlyInAnyOrder(
                        "arn:aws:ec2:us-east-1:" + TestContext.ACCOUNT + ":volume/" + cmkVolume,
                        "arn:aws:elasticfilesystem:us-east-1:" + TestContext.ACCOUNT + ":file-system/" + cmkFileSystem,
                        account, "arn:aws:s3:::kms");
        // The encrypted snapshot, EFS and FSx file systems and the FSx backup seeded without a key use the AWS
        // managed keys (aws/ebs, aws/elasticfilesystem, aws/fsx), as AWS reports them: facts too.
        assertThat(probe.seen.get(EAST)).filteredOn(u -> !u.keyId().equals(cmk)).extracting(KeyUse::checkId)
                .containsExactlyInAnyOrder("ebs-snapshot-encrypted", "efs-encrypted", "fsx-file-system-key",
                        "fsx-backup-key");
        assertThat(probe.seen.get(WEST)).isEmpty();
        assertThat(probe.complete).isEqualTo(Map.of(EAST, true, WEST, true));

        // A producer that cannot read a region leaves the facts of that region incomplete, and says so.
        fx.emulator.post("/_atrest/faults", "{\"rules\":[{\"service\":\"ec2\",\"operation\":\"DescribeVolumes\","
                + "\"region\":\"us-east-1\",\"count\":-1,\"status\":403,\"code\":\"UnauthorizedOperation\","
                + "\"message\":\"denied\"}]}");
        try {
            fx.runChecks(aws, checks, reportOnly());
        } finally {
            fx.emulator.post("/_atrest/faults", "{\"rules\":[]}");
        }
        assertThat(probe.complete).isEqualTo(Map.of(EAST, false, WEST, true));
        assertThat(probe.seen.get(EAST)).extracting(KeyUse::checkId).doesNotContain("ebs-volume-encrypted")
                .contains("efs-encrypted");
    }
}
