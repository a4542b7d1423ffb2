package dev.atrest.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrest.audit.check.TagDecision;
import dev.atrest.core.json.MalformedEventException;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.EventFiles;
import dev.atrest.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Hostile input: malformed and adversarial scheduled events, each sent through the real handler (its
 * byte-level entry point, with a Lambda context) with real SDK clients against the emulator. The handler is configured
 * to write everything it can write (Security Hub, SNS, tags, EBS default encryption, DRY_RUN=false) and the account
 * holds a non-compliant resource of every kind, so acting on any event would show up as a request and a write. Every
 * case must end in a {@link MalformedEventException} with a short, printable message, or in a summary with one
 * SKIPPED item giving the reason; never another exception, and never a single AWS request.
 */
@ExtendWith(EmulatorExtension.class)
class HostileEventsEmulatorTest {
    static final String OWN_ACCOUNT = TestContext.ACCOUNT;
    static final String OTHER_ACCOUNT = "999999999999";
    static final int MAX_MESSAGE = 600;
    /** The operations by which the audit writes; none may appear for a hostile event (no request may, in fact). */
    static final List<String> WRITES = List.of("POST /findings/import", "Publish", "CreateTags", "DeleteTags",
            "EnableEbsEncryptionByDefault", "ModifyEbsDefaultKmsKeyId");

    enum Expect { MALFORMED, SKIPPED }

    record Case(String name, byte[] body, Expect expect, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    private AuditFixture fx;
    private String topic;
    private String key;

    @BeforeEach
    void setUp(Emulator emulator) {
        fx = new AuditFixture(emulator);
        fx.hub("us-east-1").enableSecurityHub(b -> {});
        topic = fx.clients.client("sns", Region.US_EAST_1, SnsClient::builder).createTopic(b -> b.name("findings"))
                .topicArn();
        key = fx.kms("us-east-1").createKey(b -> {}).keyMetadata().arn();
        fx.seedEc2("{\"volumes\":[{\"count\":1}],\"snapshots\":[{\"count\":1}]}");
        fx.seedEfs("{\"fileSystems\":[{\"count\":1}]}");
        fx.bucket("us-east-1", "plain");
    }

    /** Everything on: any audit at all would write findings, a summary, tags and the EBS default. */
    private AuditConfig live() {
        return AuditConfig.builder().regions("us-east-1").securityHubEnabled(true).findingsTopicArn(topic)
                .tagResources(true).enableEbsDefaultEncryption(true).ebsDefaultKmsKeyArn(key).dryRun(false)
                .requireCustomerManagedKey(true).build();
    }

    // ------------------------------------------------------------------ the corpus

    static final String SAMPLE = EventFiles.text("scheduled-event.json");

    /** The sample scheduled event (aws.scheduler, this account and region), changed by {@code edit}. */
    static String sample(Consumer<ObjectNode> edit) {
        ObjectNode event = (ObjectNode) EventFiles.json(SAMPLE);
        edit.accept(event);
        return event.toString();
    }

    /** The template's own schedule input, changed by {@code edit}. */
    static String template(Consumer<ObjectNode> edit) {
        ObjectNode event = (ObjectNode) EventFiles.json(AuditFixture.SCHEDULE);
        edit.accept(event);
        return event.toString();
    }

    static ObjectNode detail(ObjectNode event) {
        return (ObjectNode) event.get("detail");
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static Stream<Case> corpus() {
        List<Case> c = new ArrayList<>();
        String valid = sample(e -> {});
        String huge = "A".repeat(200_000);

        // -- not JSON, or not one JSON object
        c.add(m("empty body", "", "empty"));
        c.add(m("whitespace only", " \n\t ", "empty"));
        c.add(m("JSON null", "null", "expected a scheduled event"));
        c.add(m("a number", "42", "expected a scheduled event"));
        c.add(m("a string", "\"Scheduled Event\"", "expected a scheduled event"));
        c.add(m("a boolean", "true", "expected a scheduled event"));
        c.add(m("empty array", "[]", "expected a scheduled event"));
        c.add(m("array holding a valid event", "[" + valid + "]", "expected a scheduled event"));
        c.add(m("truncated event", valid.substring(0, valid.length() / 2), "not valid JSON"));
        c.add(m("trailing brace", valid + "}", "not valid JSON"));
        c.add(m("two events concatenated", valid + valid, "not valid JSON"));
        c.add(m("single-quoted JSON", "{'detail-type':'Scheduled Event'}", "not valid JSON"));
        c.add(m("comment inside", "{/* run */\"detail-type\":\"Scheduled Event\"}", "not valid JSON"));
        c.add(m("NaN literal", "{\"detail-type\":NaN}", "not valid JSON"));
        c.add(m("raw NUL inside a string", "{\"source\":\"aws\u0000.events\"}", "not valid JSON"));
        c.add(new Case("invalid UTF-8 sequence", bytes('{', '"', 's', '"', ':', '"', 0xC3, 0x28, '"', '}'),
                Expect.MALFORMED, "not valid JSON"));
        c.add(new Case("UTF-16 BOM then garbage", bytes(0xFF, 0xFE, '{', 0, 0xD8, 0), Expect.MALFORMED,
                "not valid JSON"));
        c.add(new Case("Latin-1 bytes", bytes('{', '"', 's', 0xE9, '"', ':', '1', '}'), Expect.MALFORMED,
                "not valid JSON"));
        c.add(new Case("UTF-32 with a code point above U+10FFFF", bytes(0, 0, 0, '{', 0xFF, 0xFF, 0xFF, 0xFF),
                Expect.MALFORMED, "not valid JSON"));
        c.add(m("nesting 5000 deep", "[".repeat(5000) + "]".repeat(5000), "not valid JSON"));

        // -- detail-type and source: missing, null, wrong type, unknown
        c.add(m("empty object", "{}", "expected detail-type 'Scheduled Event', 'EBS Volume Notification' or 'AWS API "
                + "Call via CloudTrail', got none"));
        c.add(m("no detail-type", sample(e -> e.remove("detail-type")), "got none"));
        c.add(m("null detail-type", sample(e -> e.putNull("detail-type")), "got none"));
        c.add(m("numeric detail-type", sample(e -> e.put("detail-type", 1)), "'detail-type' is a number"));
        c.add(m("detail-type an array", sample(e -> e.set("detail-type", e.arrayNode().add("Scheduled Event"))),
                "'detail-type' is an array"));
        c.add(m("detail-type in lower case", sample(e -> e.put("detail-type", "scheduled event")),
                "expected detail-type"));
        c.add(m("detail-type with a trailing space", sample(e -> e.put("detail-type", "Scheduled Event ")),
                "expected detail-type"));
        c.add(m("S3 Object Created", sample(e -> e.put("detail-type", "Object Created").put("source", "aws.s3")),
                "expected detail-type"));
        // Another function's CloudTrail event: a call the audit does not act on.
        c.add(m("CloudTrail KMS call", EventFiles.text("cloudtrail-disable-key-rotation.json"),
                "the storage audit does not act on kms.amazonaws.com DisableKeyRotation"));
        c.add(m("S3 notification", EventFiles.text("s3-put.json"), "expected detail-type"));
        c.add(m("no source", sample(e -> e.remove("source")), "unexpected source (none)"));
        c.add(m("null source", sample(e -> e.putNull("source")), "unexpected source (none)"));
        c.add(m("numeric source", sample(e -> e.put("source", 7)), "'source' is a number"));
        c.add(m("source an object", sample(e -> e.set("source", e.objectNode().put("name", "aws.events"))),
                "'source' is an object"));
        c.add(m("source in capitals", sample(e -> e.put("source", "AWS.EVENTS")), "unexpected source 'AWS.EVENTS'"));
        c.add(m("source with a trailing space", sample(e -> e.put("source", "aws.events ")), "unexpected source"));
        c.add(m("source aws.kms", sample(e -> e.put("source", "aws.kms")), "unexpected source 'aws.kms'"));
        c.add(m("200 KB source", sample(e -> e.put("source", huge)), "unexpected source 'AAAA"));
        c.add(m("source with terminal escapes and a newline", sample(e -> e.put("source",
                "\u001b[2J\u001b[31maws.events\nINFO forged log line")), "unexpected source '\\u001b[2J"));
        c.add(m("duplicate source field, last wins", valid.replaceFirst("\"source\":\"aws.scheduler\"",
                "\"source\":\"aws.scheduler\",\"source\":\"evil\""), "unexpected source 'evil'"));

        // -- detail and detail.task
        c.add(m("detail a string", sample(e -> e.put("detail", "storage-audit")), "detail must be an object"));
        c.add(m("detail an array", sample(e -> e.set("detail", e.arrayNode())), "detail must be an object"));
        c.add(m("detail a number", sample(e -> e.put("detail", 0)), "detail must be an object"));
        c.add(m("task of another function", template(e -> detail(e).put("task", "rotation-sweep")),
                "detail.task 'rotation-sweep' is not storage-audit"));
        c.add(m("task null", template(e -> detail(e).putNull("task")), "detail.task is null"));
        c.add(m("task a number", template(e -> detail(e).put("task", 1)), "detail.task is a number"));
        c.add(m("task an object", template(e -> detail(e).set("task", e.objectNode().put("name", "storage-audit"))),
                "detail.task is an object"));
        c.add(m("task an array", template(e -> detail(e).set("task", e.arrayNode().add("storage-audit"))),
                "detail.task is an array"));
        c.add(m("task with a trailing space", template(e -> detail(e).put("task", "storage-audit ")),
                "is not storage-audit"));
        c.add(m("task in capitals", template(e -> detail(e).put("task", "STORAGE-AUDIT")), "is not storage-audit"));
        c.add(m("task with a NUL", template(e -> detail(e).put("task", "storage-audit\u0000")),
                "'storage-audit\\u0000'"));
        c.add(m("200 KB task", template(e -> detail(e).put("task", huge)), "is not storage-audit"));
        c.add(m("atrest.scheduler without a task", template(e -> detail(e).remove("task")), "detail.task is required"));
        c.add(m("atrest.scheduler with a null detail", template(e -> e.putNull("detail")), "detail.task is required"));
        c.add(m("task given to aws.events", sample(e -> {
            e.put("source", "aws.events");
            detail(e).put("task", "delete-everything");
        }), "detail.task 'delete-everything'"));

        // -- account, region and resources
        c.add(s("another account", sample(e -> e.put("account", OTHER_ACCOUNT)), "another account (account="
                + OTHER_ACCOUNT));
        c.add(s("another region", sample(e -> e.put("region", "eu-west-1")), "another region (region=eu-west-1"));
        c.add(s("template input naming another account", template(e -> e.put("account", OTHER_ACCOUNT)),
                "another account"));
        c.add(s("aws.events rule of another account", sample(e -> {
            e.put("source", "aws.events");
            e.set("resources", e.arrayNode().add("arn:aws:events:us-east-1:" + OTHER_ACCOUNT + ":rule/audit"));
        }), "another account (resource account=" + OTHER_ACCOUNT));
        c.add(s("schedule ARN in another region", sample(e -> e.set("resources", e.arrayNode()
                .add("arn:aws:scheduler:eu-west-1:" + OWN_ACCOUNT + ":schedule/default/audit"))),
                "another region (resource region=eu-west-1"));
        c.add(s("schedule ARN in another partition", sample(e -> e.set("resources", e.arrayNode()
                .add("arn:aws-cn:scheduler:cn-north-1:" + OWN_ACCOUNT + ":schedule/default/audit"))),
                "another region"));
        c.add(s("empty account", sample(e -> e.put("account", "")), "another account"));
        c.add(s("account with a right-to-left override", sample(e -> e.put("account", "\u202e" + OWN_ACCOUNT)),
                "another account (account=\\u202e"));
        c.add(s("region with a trailing newline", sample(e -> e.put("region", "us-east-1\n")),
                "another region (region=us-east-1\\u000a"));
        c.add(s("200 KB region", sample(e -> e.put("region", huge)), "another region"));
        c.add(s("10000 resources, the last of another account", sample(e -> {
            ArrayNode r = e.arrayNode();
            for (int i = 0; i < 9_999; i++) {
                r.add("arn:aws:scheduler:us-east-1:" + OWN_ACCOUNT + ":schedule/default/s" + i);
            }
            r.add("arn:aws:scheduler:us-east-1:" + OTHER_ACCOUNT + ":schedule/default/x");
            e.set("resources", r);
        }), "another account"));
        c.add(m("numeric account", sample(e -> e.put("account", 123456789012L)), "'account' is a number"));
        c.add(m("region an object", sample(e -> e.set("region", e.objectNode().put("name", "us-east-1"))),
                "'region' is an object"));
        c.add(m("resources a string", sample(e -> e.put("resources", "arn:aws:events:us-east-1:1:rule/x")),
                "'resources' is a string"));
        c.add(m("resources holding a number", sample(e -> e.set("resources", e.arrayNode().add(1))),
                "'resources' holds a number"));
        return c.stream();
    }

    static Case m(String name, String body, String says) {
        return new Case(name, body.getBytes(StandardCharsets.UTF_8), Expect.MALFORMED, says);
    }

    static Case s(String name, String body, String says) {
        return new Case(name, body.getBytes(StandardCharsets.UTF_8), Expect.SKIPPED, says);
    }

    // ------------------------------------------------------------------ the tests

    @Test
    void theCorpusIsLargeEnoughAndCoversBothOutcomes() {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(50);
        assertThat(corpus().map(Case::name).distinct().count()).isEqualTo(corpus().count());
        assertThat(corpus().filter(c -> c.expect() == Expect.SKIPPED).count()).isGreaterThanOrEqualTo(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileEventGivesAClearErrorOrAReportedSkipAndNeverAnAwsRequest(Case hostile) {
        StorageAuditHandler handler = new StorageAuditHandler(live(), fx.clients);
        fx.emulator.clearRequests();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Throwable thrown = catchThrowable(() -> handler.handleRequest(new ByteArrayInputStream(hostile.body()), out,
                new TestContext("StorageAuditFunction")));

        if (hostile.expect() == Expect.MALFORMED) {
            assertThat(thrown).isExactlyInstanceOf(MalformedEventException.class).hasMessageContaining(hostile.says());
            assertPrintableAndShort(thrown.getMessage());
        } else {
            assertThat(thrown).as("no exception").isNull();
            JsonNode summary = EventFiles.json(out.toString(StandardCharsets.UTF_8));
            assertThat(summary.path("items")).hasSize(1);
            JsonNode item = summary.path("items").get(0);
            assertThat(item.path("outcome").asText()).isEqualTo("SKIPPED");
            assertThat(item.path("action").asText()).isEqualTo("IGNORE_EVENT");
            assertThat(item.path("reason").asText()).contains(hostile.says()).contains("not acted on");
            assertPrintableAndShort(item.path("reason").asText());
        }
        List<Map<String, Object>> requests = fx.emulator.requests();
        assertThat(requests.stream().filter(r -> WRITES.contains(String.valueOf(r.get("operation")))))
                .as("writes").isEmpty();
        assertThat(requests).as("AWS requests: skips and errors are decided from the event alone").isEmpty();
        assertNothingChanged();
    }

    /**
     * Without a Lambda context the function's account is not known from its ARN: an event for another region is
     * still skipped before any request, and one for another account after a single STS read, never a write.
     */
    @Test
    void withoutALambdaContextTheAccountComesFromStsAndTheSkipCostsOneRead() {
        fx.emulator.clearRequests();
        JsonNode region = fx.run(live(), sample(e -> e.put("region", "eu-west-1")));
        assertThat(region.path("items").get(0).path("reason").asText()).contains("another region");
        assertThat(fx.emulator.requests()).isEmpty();

        JsonNode account = fx.run(live(), sample(e -> e.put("account", OTHER_ACCOUNT)));
        assertThat(account.path("items")).hasSize(1);
        assertThat(account.path("items").get(0).path("outcome").asText()).isEqualTo("SKIPPED");
        assertThat(account.path("items").get(0).path("reason").asText()).contains("another account");
        assertThat(fx.emulator.requests()).extracting(r -> r.get("operation")).containsExactly("GetCallerIdentity");
        assertNothingChanged();
    }

    /** The control: the same harness with a valid event does audit and write, so the checks above can fail. */
    @Test
    void aValidEventThroughTheSameHarnessDoesWrite() {
        StorageAuditHandler handler = new StorageAuditHandler(live(), fx.clients);
        fx.emulator.clearRequests();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        Throwable thrown = catchThrowable(() -> handler.handleRequest(
                new ByteArrayInputStream(SAMPLE.getBytes(StandardCharsets.UTF_8)), out,
                new TestContext("StorageAuditFunction")));

        assertThat(thrown).isNull();
        assertThat(fx.emulator.requests().stream().map(r -> String.valueOf(r.get("operation"))).distinct())
                .contains("POST /findings/import", "Publish", "CreateTags", "EnableEbsEncryptionByDefault",
                        "ModifyEbsDefaultKmsKeyId")
                .as("the account comes from the function's ARN, not from STS").doesNotContain("GetCallerIdentity");
        assertThat(fx.findings("us-east-1").values())
                .allSatisfy(f -> assertThat(f.awsAccountId()).isEqualTo(OWN_ACCOUNT));
        assertThat(fx.ec2("us-east-1").getEbsEncryptionByDefault(b -> {}).ebsEncryptionByDefault()).isTrue();
        assertThat(fx.findings("us-east-1")).isNotEmpty();
    }

    private void assertNothingChanged() {
        assertThat(fx.ec2("us-east-1").getEbsEncryptionByDefault(b -> {}).ebsEncryptionByDefault()).isFalse();
        assertThat(fx.ec2("us-east-1").describeVolumes(b -> {}).volumes())
                .allSatisfy(v -> assertThat(v.tags()).noneMatch(t -> t.key().equals(TagDecision.TAG_KEY)));
        assertThat(fx.findings("us-east-1")).isEmpty();
    }

    static void assertPrintableAndShort(String message) {
        assertThat(message.length()).as("message length").isLessThan(MAX_MESSAGE);
        assertThat(message.codePoints().filter(cp -> Character.isISOControl(cp)
                || Character.getType(cp) == Character.FORMAT)).as("control or format characters").isEmpty();
    }
}
