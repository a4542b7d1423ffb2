package dev.atrest.audit;

import static dev.atrest.audit.AuditFixture.ids;
import static dev.atrest.audit.AuditFixture.reportOnly;
import static dev.atrest.audit.AuditFixture.scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.audit.check.TagDecision;
import dev.atrest.core.json.Json;
import dev.atrest.core.json.MalformedEventException;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.EventFiles;
import dev.atrest.testing.TestContext;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

@ExtendWith(EmulatorExtension.class)
class StorageAuditEmulatorTest {
    private static final String ACCOUNT = "123456789012";
    private AuditFixture fx;

    @BeforeEach
    void setUp(Emulator emulator) {
        fx = new AuditFixture(emulator);
    }

    private static String volumeFinding(String region, String volumeId) {
        return "atrest/ebs-volume-encrypted/" + region + "/arn:aws:ec2:" + region + ":" + ACCOUNT + ":volume/" + volumeId;
    }

    private Set<String> active(String region) {
        return fx.findings(region).values().stream().filter(f -> "ACTIVE".equals(f.recordStateAsString()))
                .map(AwsSecurityFinding::id).collect(Collectors.toSet());
    }

    @Test
    void snapStartPrimingSendsNothingAndTheRestoredHandlerStillAudits(Emulator emulator) throws Exception {
        fx.seedEc2("{\"volumes\":[{\"count\":1}]}");
        emulator.clearRequests();
        StorageAuditHandler handler = new StorageAuditHandler(reportOnly("us-east-1"), fx.clients);
        long stoppedBefore = dev.atrest.core.aws.Priming.stoppedRequests();

        handler.beforeCheckpoint(null);

        assertThat(dev.atrest.core.aws.Priming.stoppedRequests() - stoppedBefore)
                .as("DescribeVolumes, DescribeSnapshots, GetEbsEncryptionByDefault, EFS and FSx DescribeFileSystems, "
                        + "DescribeBackups, DescribeCustomKeyStores, and ListKeys of the two key checks stopped")
                .isEqualTo(9);
        assertThat(emulator.requests()).as("requests that reached the emulator while priming").isEmpty();
        handler.afterRestore(null);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        handler.handleRequest(new java.io.ByteArrayInputStream(AuditFixture.SCHEDULE.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), out, null);
        JsonNode summary = dev.atrest.core.json.Json.MAPPER.readTree(out.toByteArray());
        assertThat(AuditFixture.scope(summary, "us-east-1", "ebs-volume-encrypted").path("outcome").asText())
                .isEqualTo("REPORTED");
    }

    /**
     * The invoked function's ARN names the account and the partition: the audit asks STS nothing, and builds every
     * resource ARN in the ARN's partition. A partition the region metadata would not give (us-east-1 is "aws")
     * shows which source was used.
     */
    @Test
    void theFunctionArnGivesTheAccountAndPartitionWithoutAskingSts(Emulator emulator) {
        fx.hub("us-east-1").enableSecurityHub(b -> {});
        JsonNode vols = fx.seedEc2("{\"volumes\":[{\"count\":1}]}");
        fx.s3().createBucket(b -> b.bucket("plain"));
        String arn = "arn:aws-us-gov:lambda:us-east-1:" + ACCOUNT + ":function:StorageAuditFunction";
        Context base = new TestContext("StorageAuditFunction");
        Context context = (Context) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> method.getName().equals("getInvokedFunctionArn") ? arn : method.invoke(base, args));
        emulator.clearRequests();

        fx.run(AuditConfig.builder().regions("us-east-1").securityHubEnabled(true).requireCustomerManagedKey(true)
                .build(), AuditFixture.SCHEDULE, context);

        assertThat(emulator.requests()).extracting(r -> r.get("operation")).doesNotContain("GetCallerIdentity");
        assertThat(active("us-east-1")).contains(
                "atrest/ebs-volume-encrypted/us-east-1/arn:aws-us-gov:ec2:us-east-1:" + ACCOUNT + ":volume/"
                        + ids(vols, "volumeIds").get(0),
                "atrest/s3-bucket-default-kms/us-east-1/arn:aws-us-gov:s3:::plain");
        assertThat(fx.findings("us-east-1").values())
                .allSatisfy(f -> assertThat(f.awsAccountId()).isEqualTo(ACCOUNT));
    }

    @Test
    void eachCheckReportsNonCompliantResourcesAndPassesCompliantOnes() {
        fx.hub("us-east-1").enableSecurityHub(b -> {});
        Ec2Client ec2 = fx.ec2("us-east-1");
        String image = ec2.registerImage(b -> b.name("test")).imageId();
        String instance = ec2.runInstances(b -> b.imageId(image).minCount(1).maxCount(1)).instances().get(0).instanceId();
        String attached = ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(1)).volumeId();
        ec2.attachVolume(b -> b.volumeId(attached).instanceId(instance).device("/dev/sdf"));
        JsonNode vols = fx.seedEc2("{\"volumes\":[{\"count\":1},{\"count\":1,\"encrypted\":true}],"
                + "\"snapshots\":[{\"count\":1},{\"count\":1,\"encrypted\":true}]}");
        JsonNode foreign = fx.seedEc2("{\"snapshots\":[{\"count\":1,\"ownerId\":\"999999999999\"}]}");
        String cmk = fx.kms("us-east-1").createKey(b -> {}).keyMetadata().arn();
        JsonNode plainFs = fx.seedEfs("{\"fileSystems\":[{\"count\":1}]}");
        JsonNode awsKeyFs = fx.seedEfs("{\"fileSystems\":[{\"count\":1,\"encrypted\":true}]}");
        JsonNode cmkFs = fx.seedEfs("{\"fileSystems\":[{\"count\":1,\"encrypted\":true,\"kmsKeyId\":\"" + cmk + "\"}]}");
        fx.s3().createBucket(b -> b.bucket("plain"));
        fx.s3().createBucket(b -> b.bucket("sse-s3"));
        fx.s3().putBucketEncryption(b -> b.bucket("sse-s3").serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
        fx.s3().createBucket(b -> b.bucket("kms"));
        fx.s3().putBucketEncryption(b -> b.bucket("kms").serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID(cmk)))));

        JsonNode summary = fx.run(AuditConfig.builder().regions("us-east-1").securityHubEnabled(true)
                .requireCustomerManagedKey(true).build());

        String unattached = ids(vols, "volumeIds").get(0);
        String encryptedVolume = ids(vols, "volumeIds").get(1);
        String plainSnap = ids(vols, "snapshotIds").get(0);
        String encryptedSnap = ids(vols, "snapshotIds").get(1);
        String fsArn = "arn:aws:elasticfilesystem:us-east-1:" + ACCOUNT + ":file-system/";
        Set<String> active = active("us-east-1");
        assertThat(active).contains(
                volumeFinding("us-east-1", attached),
                volumeFinding("us-east-1", unattached),
                "atrest/ebs-snapshot-encrypted/us-east-1/arn:aws:ec2:us-east-1::snapshot/" + plainSnap,
                "atrest/ebs-default-encryption/us-east-1/AWS::::Account:" + ACCOUNT,
                "atrest/efs-encrypted/us-east-1/" + fsArn + ids(plainFs, "fileSystemIds").get(0),
                "atrest/efs-encrypted/us-east-1/" + fsArn + ids(awsKeyFs, "fileSystemIds").get(0),
                "atrest/s3-bucket-default-kms/us-east-1/arn:aws:s3:::plain",
                "atrest/s3-bucket-default-kms/us-east-1/arn:aws:s3:::sse-s3");
        // Encrypted, but under the AWS managed aws/ebs key: findings too, since customer managed keys are required.
        assertThat(active).contains(volumeFinding("us-east-1", encryptedVolume),
                "atrest/ebs-snapshot-encrypted/us-east-1/arn:aws:ec2:us-east-1::snapshot/" + encryptedSnap);
        assertThat(fx.findings("us-east-1").get(volumeFinding("us-east-1", encryptedVolume)).description())
                .startsWith("volume (unattached) uses the AWS managed key arn:aws:kms:us-east-1:" + ACCOUNT + ":key/")
                .endsWith("(a customer managed key is required)");
        assertThat(active).doesNotContain(
                "atrest/ebs-snapshot-encrypted/us-east-1/arn:aws:ec2:us-east-1::snapshot/" + ids(foreign, "snapshotIds").get(0),
                "atrest/efs-encrypted/us-east-1/" + fsArn + ids(cmkFs, "fileSystemIds").get(0),
                "atrest/s3-bucket-default-kms/us-east-1/arn:aws:s3:::kms");
        // The instance's root volume and the image's snapshot are the account's too, and unencrypted.
        int plainVolumes = (int) ec2.describeVolumes(b -> {}).volumes().stream().filter(v -> !v.encrypted()).count();
        int plainSnapshots = (int) ec2.describeSnapshots(b -> b.ownerIds("self")).snapshots().stream()
                .filter(s -> !s.encrypted()).count();
        assertThat(plainVolumes).isGreaterThanOrEqualTo(2);
        // + the aws/ebs volume and snapshot, + the three buckets that do not block SSE-C.
        assertThat(active).hasSize(plainVolumes + plainSnapshots + 5 + 2 + 3);

        AwsSecurityFinding attachedFinding = fx.findings("us-east-1").get(volumeFinding("us-east-1", attached));
        assertThat(attachedFinding.resources().get(0).details().other()).containsEntry("attachedTo", instance);
        assertThat(attachedFinding.description()).isEqualTo("volume (attached to " + instance + ") is not encrypted");
        assertThat(attachedFinding.productFields()).containsEntry("atrest/ControlId", "EC2.3");
        assertThat(attachedFinding.severity().labelAsString()).isEqualTo("MEDIUM");
        assertThat(attachedFinding.compliance().statusAsString()).isEqualTo("FAILED");
        assertThat(attachedFinding.title()).isEqualTo("EBS volume is not encrypted at rest as required: " + attached);
        assertThat(fx.findings("us-east-1").values()).allSatisfy(f -> {
            assertThat(f.productName()).isEqualTo("atrest");
            assertThat(f.companyName()).isEqualTo("atrest");
        });
        assertThat(fx.findings("us-east-1").get("atrest/s3-bucket-default-kms/us-east-1/arn:aws:s3:::sse-s3").title())
                .isEqualTo("S3 bucket default encryption is not SSE-KMS as required: sse-s3");

        assertThat(counts(scope(summary, "us-east-1", "ebs-volume-encrypted"))).isEqualTo(List.of(plainVolumes + 1, 0));
        assertThat(counts(scope(summary, "us-east-1", "ebs-snapshot-encrypted"))).isEqualTo(List.of(plainSnapshots + 1,
                0));
        assertThat(counts(scope(summary, "us-east-1", "ebs-default-encryption"))).isEqualTo(List.of(1, 0));
        assertThat(counts(scope(summary, "us-east-1", "efs-encrypted"))).isEqualTo(List.of(2, 1));
        assertThat(counts(scope(summary, "us-east-1", "s3-bucket-default-kms"))).isEqualTo(List.of(2, 1));
        assertThat(scope(summary, "us-east-1", "efs-encrypted").path("details").path("control").asText()).isEqualTo("EFS.1");
        assertThat(summary.path("errors")).isEmpty();
    }

    private static List<Integer> counts(JsonNode item) {
        return List.of(item.path("details").path("nonCompliant").asInt(-1), item.path("details").path("compliant").asInt(-1));
    }

    @Test
    void rerunsKeepFindingIdsAndResolveFixedAndDeletedResources() {
        fx.hub("us-east-1").enableSecurityHub(b -> {});
        List<String> volumes = ids(fx.seedEc2("{\"volumes\":[{\"count\":2}]}"), "volumeIds");
        fx.s3().createBucket(b -> b.bucket("plain"));

        JsonNode first = fx.run(reportOnly("us-east-1"));
        Set<String> firstIds = active("us-east-1");
        JsonNode second = fx.run(reportOnly("us-east-1"));

        assertThat(firstIds).hasSize(5); // two volumes, EBS default, the bucket's default and its SSE-C
        assertThat(active("us-east-1")).isEqualTo(firstIds);
        assertThat(fx.findings("us-east-1")).hasSize(5); // updated in place, not duplicated
        assertThat(scope(first, "us-east-1", "ebs-volume-encrypted").path("details").path("new").asInt()).isEqualTo(2);
        assertThat(scope(second, "us-east-1", "ebs-volume-encrypted").path("details").path("new").asInt()).isZero();

        fx.ec2("us-east-1").deleteVolume(b -> b.volumeId(volumes.get(1)));
        fx.s3().putBucketEncryption(b -> b.bucket("plain").serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS)))));
        JsonNode third = fx.run(reportOnly("us-east-1"));

        Map<String, AwsSecurityFinding> all = fx.findings("us-east-1");
        assertThat(all).hasSize(5);
        AwsSecurityFinding deleted = all.get(volumeFinding("us-east-1", volumes.get(1)));
        AwsSecurityFinding fixed = all.get("atrest/s3-bucket-default-kms/us-east-1/arn:aws:s3:::plain");
        for (AwsSecurityFinding f : List.of(deleted, fixed)) {
            assertThat(f.recordStateAsString()).isEqualTo("ARCHIVED");
            assertThat(f.compliance().statusAsString()).isEqualTo("PASSED");
        }
        assertThat(deleted.description()).isEqualTo("the resource no longer exists");
        // Resolved from what the hub held: the title names the volume once.
        assertThat(deleted.title()).isEqualTo("EBS volume is not encrypted at rest as required: " + volumes.get(1));
        assertThat(fixed.description()).isEqualTo("now compliant: bucket default encryption is aws:kms");
        assertThat(active("us-east-1")).containsExactlyInAnyOrder(volumeFinding("us-east-1", volumes.get(0)),
                "atrest/ebs-default-encryption/us-east-1/AWS::::Account:" + ACCOUNT,
                "atrest/s3-bucket-blocks-sse-c/us-east-1/arn:aws:s3:::plain");
        assertThat(scope(third, "us-east-1", "ebs-volume-encrypted").path("details").path("resolved").asInt()).isEqualTo(1);
        assertThat(scope(third, "us-east-1", "s3-bucket-default-kms").path("details").path("resolved").asInt()).isEqualTo(1);

        fx.run(reportOnly("us-east-1"));
        assertThat(fx.findings("us-east-1")).hasSize(5); // a resolved finding is not archived again and again
    }

    @Test
    void paginatesEveryResourceTypeBeyondOnePage() {
        fx.seedEc2("{\"volumes\":[{\"count\":501}],\"snapshots\":[{\"count\":1001}]}");
        fx.seedEfs("{\"fileSystems\":[{\"count\":101}]}");
        fx.emulator.clearRequests();

        JsonNode summary = fx.run(AuditConfig.builder().regions("us-east-1").build());

        assertThat(counts(scope(summary, "us-east-1", "ebs-volume-encrypted"))).isEqualTo(List.of(501, 0));
        assertThat(counts(scope(summary, "us-east-1", "ebs-snapshot-encrypted"))).isEqualTo(List.of(1001, 0));
        assertThat(counts(scope(summary, "us-east-1", "efs-encrypted"))).isEqualTo(List.of(101, 0));
        assertThat(fx.emulator.count("ec2", "DescribeVolumes")).isEqualTo(2);
        assertThat(fx.emulator.count("ec2", "DescribeSnapshots")).isEqualTo(2);
        assertThat(fx.emulator.count("elasticfilesystem", "GET /2015-02-01/file-systems")).isEqualTo(2);
    }

    @Test
    void auditsSeveralRegionsAndReportsARegionFailingWithAccessDenied() {
        for (String region : List.of("us-east-1", "eu-west-1")) {
            fx.hub(region).enableSecurityHub(b -> {});
        }
        String east = ids(fx.seedEc2("{\"region\":\"us-east-1\",\"volumes\":[{\"count\":1}]}"), "volumeIds").get(0);
        String west = ids(fx.seedEc2("{\"region\":\"eu-west-1\",\"volumes\":[{\"count\":1}]}"), "volumeIds").get(0);
        fx.seedEfs("{\"region\":\"eu-west-1\",\"fileSystems\":[{\"count\":1}]}");
        for (String region : List.of("eu-west-1", "ap-south-1")) {
            fx.clients.client("s3", Region.of(region), () -> software.amazon.awssdk.services.s3.S3Client.builder()
                    .forcePathStyle(true)).createBucket(b -> b.bucket("bucket-in-" + region)
                    .createBucketConfiguration(c -> c.locationConstraint(region)));
        }

        JsonNode first = fx.run(reportOnly("us-east-1", "eu-west-1"));
        assertThat(active("us-east-1")).contains(volumeFinding("us-east-1", east));
        // Each finding goes to the hub of its resource's region; buckets outside the audited regions are out of scope.
        assertThat(active("eu-west-1")).contains(volumeFinding("eu-west-1", west),
                "atrest/s3-bucket-default-kms/eu-west-1/arn:aws:s3:::bucket-in-eu-west-1");
        assertThat(first.toString()).doesNotContain("bucket-in-ap-south-1");

        fx.emulator.post("/_atrest/faults", "{\"rules\":[{\"service\":\"ec2\",\"region\":\"eu-west-1\",\"count\":-1,"
                + "\"status\":403,\"code\":\"UnauthorizedOperation\",\"message\":\"not authorized\"}]}");
        fx.ec2("us-east-1").deleteVolume(b -> b.volumeId(east));
        JsonNode summary = fx.run(reportOnly("us-east-1", "eu-west-1"));

        assertThat(summary.path("errors").toString()).contains("eu-west-1/ebs-volume-encrypted")
                .contains("eu-west-1/ebs-snapshot-encrypted").contains("eu-west-1/ebs-default-encryption")
                .contains("UnauthorizedOperation");
        assertThat(scope(summary, "eu-west-1", "efs-encrypted").path("outcome").asText()).isEqualTo("REPORTED");
        assertThat(AuditFixture.items(summary, "AUDIT").stream()
                .filter(i -> i.path("resource").asText().equals("eu-west-1/ebs-volume-encrypted")
                        && i.path("outcome").asText().equals("FAILED"))).hasSize(1);
        // The failed region's open finding is not resolved: a failed audit is no evidence of compliance.
        assertThat(active("eu-west-1")).contains(volumeFinding("eu-west-1", west));
        // The healthy region carried on: its deleted volume was resolved.
        assertThat(active("us-east-1")).doesNotContain(volumeFinding("us-east-1", east));
    }

    @Test
    void allRegionsMeansEveryRegionEnabledForTheAccount() {
        fx.seedEc2("{\"region\":\"ap-southeast-2\",\"volumes\":[{\"count\":1}]}");
        Map<String, String> optIn = fx.ec2("us-east-1").describeRegions(b -> {}).regions().stream().collect(
                Collectors.toMap(software.amazon.awssdk.services.ec2.model.Region::regionName,
                        software.amazon.awssdk.services.ec2.model.Region::optInStatus));

        JsonNode summary = fx.run(AuditConfig.builder().allRegions(true).build());

        Set<String> audited = AuditFixture.items(summary, "AUDIT").stream()
                .filter(i -> i.path("resource").asText().endsWith("/ebs-volume-encrypted"))
                .map(i -> i.path("details").path("region").asText()).collect(Collectors.toSet());
        assertThat(audited).contains("ap-southeast-2", "eu-west-1", "us-east-1", "sa-east-1");
        assertThat(optIn).containsEntry("ap-east-1", "not-opted-in").containsKey("cn-north-1");
        assertThat(audited).doesNotContain("ap-east-1", "cn-north-1", "us-gov-west-1");
        assertThat(audited).allSatisfy(r -> assertThat(optIn.get(r)).isNotEqualTo("not-opted-in"));
        assertThat(counts(scope(summary, "ap-southeast-2", "ebs-volume-encrypted"))).isEqualTo(List.of(1, 0));
        assertThat(summary.path("errors")).isEmpty();
    }

    @Test
    void publishesOneSummaryMessageThroughSns() throws Exception {
        SnsClient sns = fx.clients.client("sns", Region.US_EAST_1, SnsClient::builder);
        SqsClient sqs = fx.clients.client("sqs", Region.US_EAST_1, SqsClient::builder);
        String topic = sns.createTopic(b -> b.name("findings")).topicArn();
        String queueUrl = sqs.createQueue(b -> b.queueName("findings-inbox")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn));
        fx.seedEc2("{\"volumes\":[{\"count\":3},{\"count\":1,\"encrypted\":true}]}");
        fx.emulator.clearRequests();

        fx.run(AuditConfig.builder().regions("us-east-1").findingsTopicArn(topic).build());

        var messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
        assertThat(messages).hasSize(1);
        assertThat(fx.emulator.count("sns", "Publish")).isEqualTo(1);
        JsonNode envelope = Json.MAPPER.readTree(messages.get(0).body());
        assertThat(envelope.path("Subject").asText()).isEqualTo("atrest storage-audit: 4 non-compliant");
        JsonNode body = Json.MAPPER.readTree(envelope.path("Message").asText());
        assertThat(body.path("totals").path("nonCompliant").asInt()).isEqualTo(4); // 3 volumes + EBS default off
        assertThat(body.path("historyKnown").asBoolean()).isFalse();
        JsonNode volumes = null;
        for (JsonNode row : body.path("byCheckAndRegion")) {
            if (row.path("check").asText().equals("ebs-volume-encrypted")) {
                volumes = row;
            }
        }
        assertThat(volumes).isNotNull();
        assertThat(volumes.path("region").asText()).isEqualTo("us-east-1");
        assertThat(volumes.path("control").asText()).isEqualTo("EC2.3");
        assertThat(volumes.path("nonCompliant").asInt()).isEqualTo(3);
        assertThat(volumes.path("compliant").asInt()).isEqualTo(1);
    }

    @Test
    void tagsNonCompliantResourcesAndRemovesTheTagOnceCompliant() {
        String marker = "{\"" + TagDecision.TAG_KEY + "\":\"EC2.3 ebs-volume-encrypted\"}";
        JsonNode ec2Seed = fx.seedEc2("{\"volumes\":[{\"count\":1},{\"count\":1,\"encrypted\":true,\"tags\":" + marker
                + "}],\"snapshots\":[{\"count\":1}]}");
        String plainFs = ids(fx.seedEfs("{\"fileSystems\":[{\"count\":1}]}"), "fileSystemIds").get(0);
        String fixedFs = ids(fx.seedEfs("{\"fileSystems\":[{\"count\":1,\"encrypted\":true,\"tags\":"
                + "{\"" + TagDecision.TAG_KEY + "\":\"EFS.1 efs-encrypted\",\"team\":\"a\"}}]}"), "fileSystemIds").get(0);
        String plainVolume = ids(ec2Seed, "volumeIds").get(0);
        String fixedVolume = ids(ec2Seed, "volumeIds").get(1);
        String plainSnapshot = ids(ec2Seed, "snapshotIds").get(0);

        fx.run(AuditConfig.builder().regions("us-east-1").tagResources(true).build());
        assertThat(volumeTags(plainVolume)).doesNotContainKey(TagDecision.TAG_KEY); // dry run writes nothing
        assertThat(volumeTags(fixedVolume)).containsKey(TagDecision.TAG_KEY);

        JsonNode summary = fx.run(AuditConfig.builder().regions("us-east-1").tagResources(true).dryRun(false).build());

        assertThat(volumeTags(plainVolume)).containsEntry(TagDecision.TAG_KEY, "EC2.3 ebs-volume-encrypted");
        assertThat(volumeTags(fixedVolume)).doesNotContainKey(TagDecision.TAG_KEY);
        assertThat(fx.ec2("us-east-1").describeSnapshots(b -> b.snapshotIds(plainSnapshot)).snapshots().get(0).tags())
                .contains(Tag.builder().key(TagDecision.TAG_KEY).value("ebs-snapshot-encrypted").build());
        assertThat(fsTags(plainFs)).containsEntry(TagDecision.TAG_KEY, "EFS.1 efs-encrypted");
        assertThat(fsTags(fixedFs)).doesNotContainKey(TagDecision.TAG_KEY).containsEntry("team", "a");
        assertThat(AuditFixture.items(summary, "TAG_NON_COMPLIANT")).hasSize(3);
        assertThat(AuditFixture.items(summary, "UNTAG_NON_COMPLIANT")).hasSize(2);

        fx.emulator.clearRequests();
        fx.run(AuditConfig.builder().regions("us-east-1").tagResources(true).dryRun(false).build());
        assertThat(fx.emulator.count("ec2", "CreateTags") + fx.emulator.count("ec2", "DeleteTags")).isZero();
    }

    private Map<String, String> volumeTags(String volumeId) {
        return fx.ec2("us-east-1").describeVolumes(b -> b.volumeIds(volumeId)).volumes().get(0).tags().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
    }

    private Map<String, String> fsTags(String id) {
        return fx.efs("us-east-1").describeFileSystems(b -> b.fileSystemId(id)).fileSystems().get(0).tags().stream()
                .collect(Collectors.toMap(software.amazon.awssdk.services.efs.model.Tag::key,
                        software.amazon.awssdk.services.efs.model.Tag::value));
    }

    @Test
    void remediationTurnsOnEbsDefaultEncryptionOnlyWhenEnabledAndNotInDryRun() {
        String key = fx.kms("us-east-1").createKey(b -> {}).keyMetadata().arn();
        Ec2Client ec2 = fx.ec2("us-east-1");

        fx.run(AuditConfig.builder().regions("us-east-1").dryRun(false).build());
        fx.run(AuditConfig.builder().regions("us-east-1").enableEbsDefaultEncryption(true).ebsDefaultKmsKeyArn(key)
                .build());
        assertThat(ec2.getEbsEncryptionByDefault(b -> {}).ebsEncryptionByDefault()).isFalse();
        assertThat(fx.emulator.count("ec2", "EnableEbsEncryptionByDefault")).isZero();

        JsonNode summary = fx.run(AuditConfig.builder().regions("us-east-1").enableEbsDefaultEncryption(true)
                .ebsDefaultKmsKeyArn(key).dryRun(false).requireCustomerManagedKey(true).build());

        assertThat(ec2.getEbsEncryptionByDefault(b -> {}).ebsEncryptionByDefault()).isTrue();
        assertThat(ec2.getEbsDefaultKmsKeyId(b -> {}).kmsKeyId()).isEqualTo(key);
        JsonNode action = AuditFixture.items(summary, "ENABLE_EBS_DEFAULT_ENCRYPTION").get(0);
        assertThat(action.path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(action.path("details").path("verified").asBoolean()).isTrue();
        assertThat(counts(scope(summary, "us-east-1", "ebs-default-encryption"))).isEqualTo(List.of(0, 1));
    }

    @Test
    void dryRunRemediationOnlyReportsWhatItWouldDo() {
        JsonNode summary = fx.run(AuditConfig.builder().regions("us-east-1").enableEbsDefaultEncryption(true).build());
        assertThat(fx.ec2("us-east-1").getEbsEncryptionByDefault(b -> {}).ebsEncryptionByDefault()).isFalse();
        assertThat(AuditFixture.items(summary, "ENABLE_EBS_DEFAULT_ENCRYPTION").get(0).path("reason").asText())
                .startsWith("dry run: would turn on");
        assertThat(counts(scope(summary, "us-east-1", "ebs-default-encryption"))).isEqualTo(List.of(1, 0));
    }

    @Test
    void rejectsMalformedOrUnexpectedEventsBeforeAnyAwsCall() {
        fx.emulator.clearRequests();
        for (String event : List.of("not json", "{}", "{\"detail-type\":\"Scheduled Event\",\"source\":\"atrest.scheduler\","
                + "\"detail\":{\"task\":\"rotation-sweep\"}}", "{\"Records\":[]}")) {
            assertThatThrownBy(() -> fx.run(reportOnly("us-east-1"), event)).isInstanceOf(MalformedEventException.class)
                    .hasMessageMatching(".*(JSON|detail-type|detail.task).*");
        }
        assertThat(fx.emulator.requests()).isEmpty();
    }

    @Test
    void runsOnTheSampleScheduledEvent() throws Exception {
        fx.seedEc2("{\"volumes\":[{\"count\":2}]}");
        String event = EventFiles.text("scheduled-event.json");

        JsonNode summary = fx.run(AuditConfig.builder().build(), event);

        assertThat(summary.path("function").asText()).isEqualTo("StorageAuditFunction");
        assertThat(summary.path("trigger").asText()).isEqualTo("aws.scheduler");
        assertThat(summary.path("dryRun").asBoolean()).isTrue();
        assertThat(counts(scope(summary, "us-east-1", "ebs-volume-encrypted"))).isEqualTo(List.of(2, 0));
    }
}
