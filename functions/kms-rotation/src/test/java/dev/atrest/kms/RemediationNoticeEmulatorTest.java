package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.EventFiles;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Person-caused remediations reach the findings topic; delivery is observed through a subscribed SQS queue. */
@ExtendWith(EmulatorExtension.class)
class RemediationNoticeEmulatorTest {
    private ClientFactory clients;
    private KmsClient kms;
    private SqsClient sqs;
    private String topicArn;
    private String queueUrl;

    @BeforeEach
    void setUp() {
        clients = new ClientFactory(Region.US_EAST_1);
        kms = clients.client("kms", KmsClient::builder);
        SnsClient sns = clients.client("sns", SnsClient::builder);
        sqs = clients.client("sqs", SqsClient::builder);
        topicArn = sns.createTopic(b -> b.name("atrest-findings")).topicArn();
        queueUrl = sqs.createQueue(b -> b.queueName("atrest-findings-inbox")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    private RotationConfig config(boolean dryRun) {
        return RotationConfig.builder().dryRun(dryRun).findingsTopicArn(topicArn).concurrency(2).build();
    }

    private List<Message> received() {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
    }

    private String disableEvent(String keyId) {
        return KmsRotationEmulatorTest.forKey("cloudtrail-disable-key-rotation.json", keyId);
    }

    @Test
    void personDisablingRotationIsPublishedWithWhoDidIt(Emulator emulator) throws Exception {
        String keyArn = kms.createKey(b -> {}).keyMetadata().arn();
        String keyId = keyArn.substring(keyArn.indexOf("key/") + 4);
        JsonNode item = KmsRotationEmulatorTest.onlyItem(KmsRotationEmulatorTest.invoke(
                new KmsRotationHandler(config(false), clients), disableEvent(keyId)));
        assertThat(item.path("outcome").asText()).isEqualTo("CHANGED");

        List<Message> messages = received();
        assertThat(messages).hasSize(1);
        JsonNode envelope = EventFiles.json(messages.get(0).body());
        assertThat(envelope.path("TopicArn").asText()).isEqualTo(topicArn);
        JsonNode notice = EventFiles.json(envelope.path("Message").asText());
        assertThat(notice.path("keyArn").asText()).isEqualTo(keyArn);
        assertThat(notice.path("disabledBy").path("arn").asText())
                .isEqualTo("arn:aws:sts::123456789012:assumed-role/Admin/alice");
        assertThat(notice.path("rotationPeriodDays").asInt()).as(notice.toString()).isEqualTo(365);
        assertThat(notice.path("eventName").asText()).isEqualTo("DisableKeyRotation");
        assertThat(emulator.count("sns", "Publish")).isEqualTo(1);
    }

    @Test
    void noNoticeForAServiceCallADryRunOrAnotherEvent(Emulator emulator) {
        String serviceKey = kms.createKey(b -> {}).keyMetadata().keyId();
        ObjectNode byService = (ObjectNode) EventFiles.json(disableEvent(serviceKey));
        ((ObjectNode) byService.get("detail").get("userIdentity")).put("invokedBy", "cloudformation.amazonaws.com");
        KmsRotationHandler live = new KmsRotationHandler(config(false), clients);
        assertThat(KmsRotationEmulatorTest.onlyItem(KmsRotationEmulatorTest.invoke(live, byService.toString()))
                .path("outcome").asText()).isEqualTo("CHANGED");

        String created = kms.createKey(b -> {}).keyMetadata().keyId();
        assertThat(KmsRotationEmulatorTest.onlyItem(KmsRotationEmulatorTest.invoke(live,
                KmsRotationEmulatorTest.forKey("cloudtrail-create-key.json", created))).path("outcome").asText())
                .isEqualTo("CHANGED");

        String dry = kms.createKey(b -> {}).keyMetadata().keyId();
        KmsRotationEmulatorTest.invoke(new KmsRotationHandler(config(true), clients), disableEvent(dry));

        assertThat(received()).isEmpty();
        assertThat(emulator.count("sns", "Publish")).isZero();
    }

    /**
     * CloudTrail's caller fields are the caller's to choose: a 300 KB ARN with a bidi override, markup and control
     * characters. The notice is still delivered, bounded, and carries none of them as such.
     */
    @Test
    void aHostileCallerStillGetsItsNoticeDeliveredBoundedAndNeutralised(Emulator emulator) {
        String keyId = kms.createKey(b -> {}).keyMetadata().keyId();
        ObjectNode event = (ObjectNode) EventFiles.json(disableEvent(keyId));
        String hostile = "arn:aws:sts::123456789012:assumed-role/Admin/\u202e<script>alert(1)</script>\u0007\n"
                + "x".repeat(300_000);
        ((ObjectNode) event.get("detail").get("userIdentity")).put("arn", hostile);

        JsonNode item = KmsRotationEmulatorTest.onlyItem(KmsRotationEmulatorTest.invoke(
                new KmsRotationHandler(config(false), clients), event.toString()));

        assertThat(item.path("outcome").asText()).isEqualTo("CHANGED");
        List<Message> messages = received();
        assertThat(messages).hasSize(1);
        String delivered = EventFiles.json(messages.get(0).body()).path("Message").asText();
        assertThat(delivered.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(dev.atrest.core.findings.SnsMessage.MAX_MESSAGE_BYTES);
        assertThat(delivered).doesNotContain("\u202e", "<", ">", "\u0007", "\n");
        String arn = EventFiles.json(delivered).path("disabledBy").path("arn").asText();
        assertThat(arn).hasSizeLessThanOrEqualTo(dev.atrest.core.findings.SnsMessage.MAX_FIELD)
                .startsWith("arn:aws:sts::123456789012:assumed-role/Admin/")
                .contains("\\u202e", "<script>", "(" + hostile.length() + " chars)")
                .doesNotContain("\u202e");
        assertThat(emulator.count("sns", "Publish")).isEqualTo(1);
    }
}
