package dev.atrest.audit;

import static dev.atrest.audit.AuditFixture.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrest.audit.check.TagDecision;
import dev.atrest.core.json.Json;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.EventFiles;
import dev.atrest.testing.TestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Redelivery: EventBridge and Scheduler deliver at least once, so the same scheduled event can arrive twice,
 * and an older one can arrive after a newer one. Delivered again, the audit must leave exactly the state one
 * delivery left: the same finding ids with the same status, no duplicate finding, one marker tag per resource, the
 * EBS default changed once, and no write beyond re-importing the same findings and one more summary.
 */
@ExtendWith(EmulatorExtension.class)
class RedeliveryEmulatorTest {
    static final String EAST = "us-east-1";
    static final String WEST = "eu-west-1";
    static final List<String> SKIPPED_ON_REDELIVERY = List.of("CreateTags", "DeleteTags", "EnableEbsEncryptionByDefault",
            "ModifyEbsDefaultKmsKeyId");

    private AuditFixture fx;
    private String topic;
    private String queueUrl;
    private String westKey;
    private final List<String> plainVolumes = new ArrayList<>();
    private String plainFs;

    @BeforeEach
    void setUp(Emulator emulator) {
        fx = new AuditFixture(emulator);
        SnsClient sns = fx.clients.client("sns", Region.US_EAST_1, SnsClient::builder);
        SqsClient sqs = fx.clients.client("sqs", Region.US_EAST_1, SqsClient::builder);
        topic = sns.createTopic(b -> b.name("findings")).topicArn();
        queueUrl = sqs.createQueue(b -> b.queueName("inbox")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn));
        westKey = fx.kms(WEST).createKey(b -> {}).keyMetadata().arn();
        for (String region : List.of(EAST, WEST)) {
            fx.hub(region).enableSecurityHub(b -> {});
            plainVolumes.addAll(ids(fx.seedEc2("{\"region\":\"" + region + "\",\"volumes\":[{\"count\":3},"
                    + "{\"count\":1,\"encrypted\":true,\"tags\":{\"" + TagDecision.TAG_KEY + "\":\"stale\"}}],"
                    + "\"snapshots\":[{\"count\":2},{\"count\":1,\"encrypted\":true}]}"), "volumeIds").subList(0, 3));
            List<String> fs = ids(fx.seedEfs("{\"region\":\"" + region + "\",\"fileSystems\":[{\"count\":2},"
                    + "{\"count\":1,\"encrypted\":true}]}"), "fileSystemIds");
            if (region.equals(EAST)) {
                plainFs = fs.get(0);
            }
            fx.bucket(region, "plain-" + region);
            fx.bucket(region, "kms-" + region);
            fx.s3().putBucketEncryption(b -> b.bucket("kms-" + region).serverSideEncryptionConfiguration(c -> c.rules(
                    r -> r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS)))));
        }
        fx.ec2(EAST).enableEbsEncryptionByDefault(b -> {});
    }

    private AuditConfig live() {
        return AuditConfig.builder().regions(EAST, WEST).securityHubEnabled(true).findingsTopicArn(topic)
                .tagResources(true).enableEbsDefaultEncryption(true).ebsDefaultKmsKeyArn(westKey).dryRun(false)
                .build();
    }

    static String sampleEvent(String time) {
        ObjectNode event = (ObjectNode) EventFiles.json(EventFiles.text("scheduled-event.json"));
        return event.put("time", time).put("id", "delivery-" + time).toString();
    }

    /** Everything the audit can change, without timestamps: findings, tags, EBS defaults. */
    private Map<String, Object> state() {
        Map<String, Object> state = new TreeMap<>();
        for (String region : List.of(EAST, WEST)) {
            Map<String, AwsSecurityFinding> findings = fx.findings(region);
            // Not the finding's copy of the resource's tags: it is what Describe returned, so the marker tag the run
            // adds after importing shows there from the next run on (a one-run lag, not a second state).
            findings.forEach((id, f) -> state.put("finding " + id, f.recordStateAsString() + " "
                    + f.compliance().statusAsString() + " " + f.description() + " " + f.severity().labelAsString()
                    + " " + f.generatorId()));
            state.put("findings in " + region, findings.size());
            fx.ec2(region).describeVolumes(b -> {}).volumes().forEach(v -> state.put("tags " + v.volumeId(), tags(v.tags())));
            fx.ec2(region).describeSnapshots(b -> b.ownerIds("self")).snapshots().forEach(s ->
                    state.put("tags " + s.snapshotId(), tags(s.tags())));
            fx.efs(region).describeFileSystems(b -> {}).fileSystems().forEach(fs -> state.put("tags " + fs.fileSystemId(),
                    fs.tags().stream().map(t -> t.key() + "=" + t.value()).sorted().toList()));
            state.put("ebs default " + region, fx.ec2(region).getEbsEncryptionByDefault(b -> {}).ebsEncryptionByDefault()
                    + " " + fx.ec2(region).getEbsDefaultKmsKeyId(b -> {}).kmsKeyId());
        }
        return state;
    }

    private static List<String> tags(List<Tag> tags) {
        return tags.stream().map(t -> t.key() + "=" + t.value()).sorted().toList();
    }

    private List<JsonNode> summaries() {
        SqsClient sqs = fx.clients.client("sqs", Region.US_EAST_1, SqsClient::builder);
        List<JsonNode> out = new ArrayList<>();
        for (var m : sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages()) {
            try {
                out.add(Json.MAPPER.readTree(Json.MAPPER.readTree(m.body()).path("Message").asText()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
        }
        return out;
    }

    private JsonNode deliver(String event) {
        fx.emulator.clearRequests();
        JsonNode summary = fx.run(live(), event, new TestContext("StorageAuditFunction"));
        assertThat(summary.path("errors")).as("delivery ran cleanly").isEmpty();
        return summary;
    }

    private long writes(String... operations) {
        return fx.emulator.requests().stream().filter(r -> List.of(operations).contains(String.valueOf(r.get("operation"))))
                .count();
    }

    private long efsTagWrites() {
        return fx.emulator.requests().stream().filter(r -> "elasticfilesystem".equals(r.get("service"))
                && !"GET".equals(r.get("method"))).count();
    }

    @Test
    void theSameEventTwiceAndAnOlderOneLateLeaveTheStateOfOneDelivery() {
        String event = sampleEvent("2026-11-21T00:00:00Z");
        deliver(event);
        long firstTagWrites = writes("CreateTags", "DeleteTags") + efsTagWrites();
        long firstEbsWrites = writes("EnableEbsEncryptionByDefault", "ModifyEbsDefaultKmsKeyId");
        Map<String, Object> once = state();
        List<JsonNode> firstSummary = summaries();

        // The state one delivery leaves is the right one, so "unchanged" below means "still right".
        Map<String, AwsSecurityFinding> east = fx.findings(EAST);
        for (String volume : plainVolumes.subList(0, 3)) {
            String id = "atrest/ebs-volume-encrypted/us-east-1/arn:aws:ec2:us-east-1:" + TestContext.ACCOUNT
                    + ":volume/" + volume;
            assertThat(east.get(id).recordStateAsString()).isEqualTo("ACTIVE");
            assertThat(once.get("tags " + volume)).isEqualTo(List.of(TagDecision.TAG_KEY + "=EC2.3 ebs-volume-encrypted"));
        }
        assertThat(once.get("tags " + plainFs)).isEqualTo(List.of(TagDecision.TAG_KEY + "=EFS.1 efs-encrypted"));
        assertThat(once.get("ebs default " + WEST)).isEqualTo("true " + westKey);
        assertThat(once.values().stream().filter(v -> v.toString().contains("=stale"))).as("stale tag removed").isEmpty();
        assertThat(firstTagWrites).isPositive();
        assertThat(firstEbsWrites).isEqualTo(2);
        assertThat(firstSummary).hasSize(1);

        JsonNode second = deliver(event);
        assertThat(state()).as("after the same event again").isEqualTo(once);
        assertThat(writes(SKIPPED_ON_REDELIVERY.toArray(String[]::new)) + efsTagWrites())
                .as("tag and EBS default writes on redelivery").isZero();
        List<JsonNode> secondSummary = summaries();
        assertThat(secondSummary).hasSize(1);
        assertThat(secondSummary.get(0).path("totals").path("nonCompliant"))
                .isEqualTo(firstSummary.get(0).path("totals").path("nonCompliant"));
        assertThat(secondSummary.get(0).path("totals").path("new").asInt()).as("nothing new the second time").isZero();
        assertThat(AuditFixture.items(second, "ENABLE_EBS_DEFAULT_ENCRYPTION")).isEmpty();

        deliver(sampleEvent("2026-11-20T00:00:00Z")); // the day before's event, arriving late
        assertThat(state()).as("after an older event, late").isEqualTo(once);
        assertThat(writes(SKIPPED_ON_REDELIVERY.toArray(String[]::new)) + efsTagWrites()).isZero();
        summaries();
    }

    @Test
    void aResolutionDeliveredTwiceResolvesOnceAndStaysResolved() {
        String event = sampleEvent("2026-11-21T00:00:00Z");
        deliver(event);
        String volume = plainVolumes.get(0);
        fx.ec2(EAST).deleteVolume(b -> b.volumeId(volume));
        String id = "atrest/ebs-volume-encrypted/us-east-1/arn:aws:ec2:us-east-1:" + TestContext.ACCOUNT + ":volume/"
                + volume;

        JsonNode first = deliver(sampleEvent("2026-11-22T00:00:00Z"));
        Map<String, Object> once = state();
        assertThat(fx.findings(EAST).get(id).recordStateAsString()).isEqualTo("ARCHIVED");
        assertThat(AuditFixture.scope(first, EAST, "ebs-volume-encrypted").path("details").path("resolved").asInt())
                .isEqualTo(1);

        JsonNode again = deliver(sampleEvent("2026-11-22T00:00:00Z"));
        assertThat(state()).isEqualTo(once);
        assertThat(AuditFixture.scope(again, EAST, "ebs-volume-encrypted").path("details").path("resolved").asInt())
                .as("not resolved a second time").isZero();
        assertThat(fx.findings(EAST).values().stream().map(AwsSecurityFinding::id).collect(Collectors.toList()))
                .as("no duplicate ids").doesNotHaveDuplicates();
    }
}
