package dev.atrest.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.audit.aws.AuditGateways;
import dev.atrest.audit.check.AuditCheck;
import dev.atrest.audit.check.AuditRun;
import dev.atrest.audit.check.CheckRegistry;
import dev.atrest.audit.check.KeyDirectory;
import dev.atrest.audit.check.Permission;
import dev.atrest.audit.check.RunContext;
import dev.atrest.audit.check.RunFacts;
import dev.atrest.audit.check.TagDecision;
import dev.atrest.audit.sink.ResourceTagSink;
import dev.atrest.core.findings.Finding;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.TestContext;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Least privilege per check, against what the SDK really sends: each registered check, run alone with every write
 * it can make turned on (tags added and removed, EBS encryption by default turned on with a key, customer managed
 * keys required), then asked for one resource as an event would, calls exactly the operations whose IAM actions it
 * declares. {@code AuditPermissionsTest} holds the template to the declarations; together they tie the template to
 * the calls.
 */
@ExtendWith(EmulatorExtension.class)
class CheckPermissionsEmulatorTest {
    static final String EAST = "us-east-1";

    private AuditFixture fx;
    private String cmk;

    @BeforeEach
    void setUp(Emulator emulator) {
        fx = new AuditFixture(emulator);
        cmk = fx.kms(EAST).createKey(b -> {}).keyMetadata().arn();
        // Non-compliant resources to tag, and compliant ones with a stale marker to untag.
        String stale = "\"tags\":{\"" + TagDecision.TAG_KEY + "\":\"stale\"}";
        fx.seedEc2("{\"volumes\":[{\"count\":1},{\"count\":1,\"encrypted\":true,\"kmsKeyId\":\"" + cmk + "\"," + stale
                + "}],\"snapshots\":[{\"count\":1},{\"count\":1,\"encrypted\":true,\"kmsKeyId\":\"" + cmk + "\","
                + stale + "}]}");
        fx.seedEfs("{\"fileSystems\":[{\"count\":1},{\"count\":1,\"encrypted\":true,\"kmsKeyId\":\"" + cmk + "\","
                + stale + "}]}");
        fx.bucket(EAST, "plain");
        fx.bucket(EAST, "kms");
        fx.s3().putBucketEncryption(b -> b.bucket("kms").serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm("aws:kms").kmsMasterKeyID(cmk)))));
        // FSx under the AWS managed key, a backup of it; a custom key store holding a key while disconnected.
        var fsx = fx.clients.client("fsx", software.amazon.awssdk.regions.Region.US_EAST_1,
                software.amazon.awssdk.services.fsx.FSxClient::builder);
        String fs = fsx.createFileSystem(b -> b.fileSystemType("WINDOWS").storageCapacity(32)
                .subnetIds("subnet-0123456789abcdef0")).fileSystem().fileSystemId();
        fsx.createBackup(b -> b.fileSystemId(fs));
        String store = fx.kms(EAST).createCustomKeyStore(b -> b.customKeyStoreName("hsm")
                .cloudHsmClusterId("cluster-abcdefghijk").trustAnchorCertificate("-----BEGIN CERTIFICATE-----")
                .keyStorePassword("kmsuser-pw")).customKeyStoreId();
        fx.kms(EAST).connectCustomKeyStore(b -> b.customKeyStoreId(store));
        fx.kms(EAST).createKey(b -> b.customKeyStoreId(store).origin("AWS_CLOUDHSM"));
        fx.kms(EAST).disconnectCustomKeyStore(b -> b.customKeyStoreId(store));
    }

    static Stream<String> checks() {
        return AuditFixture.CHECK_IDS.stream();
    }

    /** The IAM action of an SDK call ("Ec2.DescribeVolumes"), per the Service Authorization Reference. */
    static String action(String call) {
        String service = call.substring(0, call.indexOf('.')).toLowerCase(java.util.Locale.ROOT);
        String operation = call.substring(call.indexOf('.') + 1);
        return switch (service) {
            case "ec2", "kms", "securityhub", "sns", "fsx" -> service + ":" + operation;
            case "efs" -> "elasticfilesystem:" + operation;
            case "s3" -> switch (operation) {
                case "ListBuckets" -> "s3:ListAllMyBuckets";
                case "GetBucketEncryption" -> "s3:GetEncryptionConfiguration";
                case "GetBucketLocation" -> "s3:GetBucketLocation";
                case "PutBucketEncryption" -> "s3:PutEncryptionConfiguration";
                case "PutObject" -> "s3:PutObject";
                default -> throw new AssertionError("no IAM action known for " + call);
            };
            default -> throw new AssertionError("no IAM action known for " + call);
        };
    }

    static Set<String> called() {
        return AuditCallLog.COUNTS.calls().keySet().stream().map(CheckPermissionsEmulatorTest::action)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> actions(List<Permission> permissions) {
        return permissions.stream().flatMap(p -> p.actions().stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checks")
    void eachCheckCallsExactlyTheActionsItDeclares(String checkId) {
        AuditGateways aws = AuditGateways.of(fx.clients);
        CheckRegistry standard = CheckRegistry.standard(aws);
        AuditCheck<?, ?> check = standard.byId(checkId).orElseThrow();
        // A check that reads other checks' facts runs with their producers, whose calls it then makes too.
        List<AuditCheck<?, ?>> needed = new java.util.ArrayList<>(List.of(check));
        standard.checks().stream().filter(p -> p != check && p.produces().stream().anyMatch(check.consumes()::contains))
                .forEach(needed::add);
        CheckRegistry alone = new CheckRegistry(needed);
        AuditConfig everything = AuditConfig.builder().regions(EAST).requireCustomerManagedKey(true).tagResources(true)
                .enableEbsDefaultEncryption(true).ebsDefaultKmsKeyArn(cmk).blockSseC(true).dryRun(false).build();
        AuditCallLog.reset();

        AuditFixture.Audited audited = fx.runChecks(aws, alone, everything, new ResourceTagSink(alone, false));
        // The event path: one resource read and judged on its own.
        Finding any = audited.report().evaluations().stream().filter(f -> f.checkId().equals(checkId)).findFirst()
                .orElseThrow();
        AuditRun run = new AuditRun(new RunContext(TestContext.ACCOUNT, "aws", audited.report().observedAt(),
                everything), new KeyDirectory(aws.kms()), new RunFacts(alone.consumed()));
        alone.shareFacts(check, any.region(), run);
        assertThat(check.auditOne(run, any.region(), any.resourceId())).isPresent();

        assertThat(audited.summary().getErrors()).isEmpty();
        assertThat(called()).as(checkId + ": actions of the calls made").isEqualTo(actions(alone.permissions()));
    }

    /** The function's own actions: the regions of REGIONS=all, and the optional sinks. */
    @Test
    void theFunctionItselfCallsExactlyTheActionsItDeclaresBesideItsChecks() {
        fx.hub(EAST).enableSecurityHub(b -> {});
        String topic = fx.clients.client("sns", software.amazon.awssdk.regions.Region.US_EAST_1,
                software.amazon.awssdk.services.sns.SnsClient::builder).createTopic(b -> b.name("findings")).topicArn();
        AuditCallLog.reset();

        String reportKey = fx.kms(EAST).createKey(b -> {}).keyMetadata().arn();
        fx.bucket(EAST, "reports");
        AuditCallLog.reset();
        fx.run(AuditConfig.builder().allRegions(true).securityHubEnabled(true).findingsTopicArn(topic)
                .reportLocation("s3://reports/atrest/").reportKmsKeyArn(reportKey).build(),
                AuditFixture.SCHEDULE, new TestContext("StorageAuditFunction"));

        Set<String> beyondChecks = called();
        beyondChecks.removeAll(actions(AuditFixture.CHECKS.permissions()));
        Set<String> declared = actions(AuditPermissions.FUNCTION);
        // S3 asks KMS for the report's data key on the function's behalf: authorised, never called by the SDK.
        assertThat(declared.remove("kms:GenerateDataKey")).isTrue();
        assertThat(beyondChecks).isEqualTo(declared);
    }
}
