package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.json.Json;
import dev.atrest.core.json.MalformedEventException;
import dev.atrest.testing.EventFiles;
import dev.atrest.testing.TestContext;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Hostile input: a corpus of malformed and adversarial events, each sent through the real handler (its
 * byte-level entry point) with real SDK clients against the emulator. The emulator holds a key that needs fixing,
 * and the events name it wherever they name a key, so acting on any of them would show up as a write. Every case
 * must end in a {@link MalformedEventException} with a short, printable message (no AWS call at all), or in a summary
 * whose items are all SKIPPED with the expected reason; never another exception, never an EnableKeyRotation.
 */
@ExtendWith(EmulatorExtension.class)
class HostileEventsEmulatorTest {
    /** Replaced by the id of the key seeded for each case. */
    static final String KEY = "KEYIDPLACEHOLDER";
    static final String OTHER_ACCOUNT = "999999999999";
    static final RotationConfig LIVE = RotationConfig.builder().maxRotationPeriodDays(400).dryRun(false)
            .concurrency(2).build();
    static final int MAX_MESSAGE = 600;

    enum Expect { MALFORMED, SKIPPED, MALFORMED_OR_KNOWN_CORE_BUG }

    record Case(String name, byte[] body, Expect expect, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    private ClientFactory clients;
    private KmsClient kms;

    @BeforeEach
    void setUp() {
        clients = new ClientFactory(Region.US_EAST_1);
        kms = clients.client("kms", KmsClient::builder);
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    // ------------------------------------------------------------------ the corpus

    static String base(String file) {
        return EventFiles.text(file).replace(SampleEvents.SAMPLE_KEY, KEY).replace(SampleEvents.SAMPLE_MRK, KEY);
    }

    /** The DisableKeyRotation sample for the seeded key, changed by {@code edit}. */
    static String disable(Consumer<ObjectNode> edit) {
        return edited("cloudtrail-disable-key-rotation.json", edit);
    }

    static String edited(String file, Consumer<ObjectNode> edit) {
        ObjectNode event = (ObjectNode) EventFiles.json(base(file));
        edit.accept(event);
        return event.toString();
    }

    static ObjectNode detail(ObjectNode event) {
        return (ObjectNode) event.get("detail");
    }

    static ObjectNode request(ObjectNode event) {
        return (ObjectNode) detail(event).get("requestParameters");
    }

    /** Sets requestParameters.keyId and drops the resources list, so the key can only come from keyId. */
    static Consumer<ObjectNode> keyId(String value) {
        return e -> {
            request(e).put("keyId", value);
            detail(e).remove("resources");
        };
    }

    static String scheduled(String extra) {
        return "{\"version\":\"0\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\"" + extra + "}";
    }

    static String nested(int depth, String leaf) {
        return "[".repeat(depth) + leaf + "]".repeat(depth);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
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
        String disable = base("cloudtrail-disable-key-rotation.json");
        String huge = "A".repeat(200_000);

        // -- not JSON, or not one JSON object
        c.add(m("empty body", "", "empty"));
        c.add(m("whitespace only", "  \n\t ", "empty"));
        c.add(m("JSON null", "null", "not a JSON object"));
        c.add(m("a number", "42", "not a JSON object"));
        c.add(m("a string", "\"aws.kms\"", "not a JSON object"));
        c.add(m("empty array", "[]", "not a JSON object"));
        c.add(m("array holding the event", "[" + disable + "]", "not a JSON object"));
        c.add(m("truncated event", disable.substring(0, disable.length() / 2), "not valid JSON"));
        c.add(m("trailing brace", disable + "}", "not valid JSON"));
        c.add(m("two events concatenated", disable + disable, "not valid JSON"));
        c.add(m("single-quoted JSON", "{'source':'aws.kms'}", "not valid JSON"));
        c.add(m("raw NUL inside a string", "{\"source\":\"aws\u0000.kms\"}", "not valid JSON"));
        c.add(new Case("invalid UTF-8 sequence", bytes('{', '"', 's', '"', ':', '"', 0xC3, 0x28, '"', '}'),
                Expect.MALFORMED, "not valid JSON"));
        c.add(new Case("UTF-16 BOM then garbage", bytes(0xFF, 0xFE, '{', 0, 0xD8, 0), Expect.MALFORMED,
                "not valid JSON"));
        c.add(new Case("Latin-1 bytes", bytes('{', '"', 's', 0xE9, '"', ':', '1', '}'), Expect.MALFORMED,
                "not valid JSON"));
        c.add(new Case("UTF-32 with a code point above U+10FFFF",
                bytes(0, 0, 0, '{', 0xFF, 0xFF, 0xFF, 0xFF), Expect.MALFORMED_OR_KNOWN_CORE_BUG, "UTF-32"));
        c.add(m("nesting 5000 deep", nested(5000, "1"), "not valid JSON"));
        c.add(m("nesting 900 deep in keyId", disable(e -> request(e).set("keyId",
                EventFiles.json(nested(900, "\"" + KEY + "\"")))), "not a string"));

        // -- envelope: unknown or wrong sources and types
        c.add(m("empty object", "{}", "unsupported event"));
        c.add(m("no source", disable(e -> e.remove("source")), "unsupported event"));
        c.add(m("null source", disable(e -> e.putNull("source")), "unsupported event"));
        c.add(m("numeric source", disable(e -> e.put("source", 42)), "not a string"));
        c.add(m("source aws.s3", disable(e -> e.put("source", "aws.s3")), "unsupported event"));
        c.add(m("source in capitals", disable(e -> e.put("source", "AWS.KMS")), "unsupported event"));
        c.add(m("source with trailing space", disable(e -> e.put("source", "aws.kms ")), "unsupported event"));
        c.add(m("detail-type unknown", disable(e -> e.put("detail-type", "Object Created")), "unsupported event"));
        c.add(m("detail-type an array", disable(e -> e.set("detail-type", e.arrayNode().add("x"))), "not a string"));
        c.add(m("huge source", disable(e -> e.put("source", huge)), "unsupported event"));
        c.add(m("duplicate source field, last wins",
                disable.replaceFirst("\"source\": \"aws.kms\"", "\"source\": \"aws.kms\", \"source\": \"aws.s3\""),
                "unsupported event"));
        c.add(m("S3 notification", EventFiles.text("s3-put.json"), "unsupported event"));
        c.add(m("S3 EventBridge event", EventFiles.text("eventbridge-object-created.json"), "unsupported event"));

        // -- scheduled events
        c.add(m("scheduled event from aws.kms", disable(e -> e.put("detail-type", "Scheduled Event")),
                "unsupported event"));
        c.add(m("scheduled event from another source",
                "{\"detail-type\":\"Scheduled Event\",\"source\":\"my.app\",\"detail\":{}}", "unsupported event"));
        c.add(m("scheduled event without a source (was a NullPointerException)",
                "{\"detail-type\":\"Scheduled Event\",\"detail\":{}}", "unsupported event"));
        c.add(m("scheduled event with a null source", "{\"detail-type\":\"Scheduled Event\",\"source\":null}",
                "unsupported event"));
        c.add(m("scheduled event for another task", scheduled(",\"detail\":{\"task\":\"delete-keys\"}"),
                "task 'delete-keys'"));
        c.add(m("scheduled task is an object", scheduled(",\"detail\":{\"task\":{\"name\":\"rotation-sweep\"}}"),
                "not a string"));
        c.add(m("scheduled detail is a string", scheduled(",\"detail\":\"rotation-sweep\""), "not an object"));
        c.add(s("scheduled event for another account", scheduled(",\"account\":\"" + OTHER_ACCOUNT
                + "\",\"region\":\"us-east-1\",\"detail\":{}"), "another account"));
        c.add(s("scheduled event for another region", scheduled(",\"account\":\"123456789012\","
                + "\"region\":\"eu-west-1\",\"detail\":{}"), "another region"));

        // -- the CloudTrail record
        c.add(m("no detail", disable(e -> e.remove("detail")), "no detail record"));
        c.add(m("null detail", disable(e -> e.putNull("detail")), "no detail record"));
        c.add(m("detail is an array", disable(e -> e.set("detail", e.arrayNode())), "no detail record"));
        c.add(m("detail is a string", disable(e -> e.put("detail", "DisableKeyRotation")), "no detail record"));
        c.add(m("no eventName", disable(e -> detail(e).remove("eventName")), "no eventName"));
        c.add(m("null eventName", disable(e -> detail(e).putNull("eventName")), "no eventName"));
        c.add(m("numeric eventName", disable(e -> detail(e).put("eventName", 7)), "not a string"));
        c.add(s("unknown eventName", disable(e -> detail(e).put("eventName", "ScheduleKeyDeletion")),
                "cannot change a key's rotation"));
        c.add(s("eventName in lower case", disable(e -> detail(e).put("eventName", "disablekeyrotation")),
                "cannot change a key's rotation"));
        c.add(s("eventName with a lone surrogate", disable(e -> detail(e).put("eventName", "Disable\ud800Key")),
                "cannot change a key's rotation"));
        c.add(s("long eventName cut inside an emoji", disable(e -> detail(e).put("eventName",
                "x".repeat(116) + "\ud83d\udd11" + "y".repeat(10))), "cannot change a key's rotation"));
        c.add(s("huge eventName", disable(e -> detail(e).put("eventName", huge)), "cannot change a key's rotation"));
        c.add(m("eventSource of another service", disable(e -> detail(e).put("eventSource", "s3.amazonaws.com")),
                "not kms.amazonaws.com"));
        c.add(m("awsRegion not a region", disable(e -> detail(e).put("awsRegion", "moon")), "no valid awsRegion"));
        c.add(m("awsRegion with a newline", disable(e -> detail(e).put("awsRegion", "us-east-1\n")),
                "no valid awsRegion"));
        c.add(s("awsRegion of another region", disable(e -> {
            detail(e).put("awsRegion", "eu-west-1");
            keyId(KEY).accept(e);
        }), "another region"));
        c.add(s("envelope region differs from awsRegion", disable(e -> e.put("region", "eu-west-1")),
                "another region"));
        c.add(s("envelope account of another account", disable(e -> e.put("account", OTHER_ACCOUNT)),
                "another account"));
        c.add(s("recipientAccountId of another account",
                disable(e -> detail(e).put("recipientAccountId", OTHER_ACCOUNT)), "another account"));
        c.add(s("key ARN in another account", disable(keyId("arn:aws:kms:us-east-1:" + OTHER_ACCOUNT + ":key/"
                + KEY)), "another account"));
        c.add(s("key ARN in another region", disable(keyId("arn:aws:kms:eu-west-1:123456789012:key/" + KEY)),
                "another region"));
        c.add(s("key ARN in another partition", disable(keyId("arn:aws-cn:kms:cn-north-1:123456789012:key/"
                + KEY)), "another region"));
        c.add(s("errorCode is an object", disable(e -> detail(e).set("errorCode",
                e.objectNode().put("code", "AccessDenied"))), "failed"));
        c.add(s("errorCode is empty", disable(e -> detail(e).put("errorCode", "")), "failed"));

        // -- the key reference
        c.add(m("no key anywhere", disable(e -> {
            detail(e).remove("requestParameters");
            detail(e).remove("resources");
        }), "names no KMS key"));
        c.add(m("requestParameters is a string", disable(e -> detail(e).put("requestParameters", KEY)),
                "not an object"));
        c.add(m("requestParameters is an array", disable(e -> detail(e).set("requestParameters",
                e.arrayNode().add(KEY))), "not an object"));
        c.add(m("null keyId, no resources", disable(e -> {
            request(e).putNull("keyId");
            detail(e).remove("resources");
        }), "names no KMS key"));
        c.add(m("numeric keyId", disable(e -> request(e).put("keyId", 1234)), "not a string"));
        c.add(m("boolean keyId", disable(e -> request(e).put("keyId", true)), "not a string"));
        c.add(m("keyId is an object", disable(e -> request(e).set("keyId", e.objectNode().put("id", KEY))),
                "not a string"));
        c.add(m("keyId with a NUL", disable(keyId(KEY + "\u0000")), "invalid KMS key"));
        c.add(m("keyId with a newline", disable(keyId(KEY + "\n")), "invalid KMS key"));
        c.add(m("keyId with an escape sequence", disable(keyId("\u001b[31m" + KEY)), "invalid KMS key"));
        c.add(m("keyId path traversal", disable(keyId("../../../etc/passwd")), "invalid KMS key"));
        c.add(m("key ARN with a dot-dot segment", disable(keyId("arn:aws:kms:us-east-1:123456789012:key/../alias/x")),
                "invalid KMS key"));
        c.add(m("alias with a dot-dot segment", disable(keyId("alias/../../" + KEY)), "invalid KMS key"));
        c.add(m("URL-encoded keyId", disable(keyId("%2e%2e%2f" + KEY)), "invalid KMS key"));
        c.add(m("keyId of 3000 characters", disable(keyId("a".repeat(3000))), "invalid KMS key"));
        c.add(m("keyId of 200 KB", disable(keyId(huge + "!")), "invalid KMS key"));
        c.add(m("keyId with a Unicode hyphen", disable(keyId(KEY.replace('P', '\u2010'))), "invalid KMS key"));
        c.add(m("keyId with a zero-width space", disable(keyId(KEY + "\u200b")), "invalid KMS key"));
        c.add(m("keyId with a right-to-left override", disable(keyId("\u202e" + KEY)), "invalid KMS key"));
        c.add(m("keyId with SQL", disable(keyId("'; DROP TABLE keys; --")), "invalid KMS key"));
        c.add(m("resources is an object", disable(e -> {
            detail(e).remove("requestParameters");
            ObjectNode r = e.objectNode();
            r.set("0", detail(e).get("resources").get(0));
            detail(e).set("resources", r);
        }), "names no KMS key"));
        c.add(m("10000 resources of the wrong type", disable(e -> {
            detail(e).remove("requestParameters");
            ArrayNode r = e.arrayNode();
            for (int i = 0; i < 10_000; i++) {
                r.add(e.objectNode().put("type", "AWS::S3::Bucket").put("ARN", "arn:aws:s3:::b" + i));
            }
            detail(e).set("resources", r);
        }), "names no KMS key"));
        c.add(m("CreateKey with responseElements a string", edited("cloudtrail-create-key.json",
                e -> detail(e).put("responseElements", KEY)), "not an object"));
        c.add(m("CreateKey with a numeric key ARN", edited("cloudtrail-create-key.json",
                e -> ((ObjectNode) detail(e).get("responseElements").get("keyMetadata")).put("arn", 5)),
                "not a string"));

        // -- EnableKeyRotation's period
        c.add(m("period is a word", edited("cloudtrail-enable-key-rotation.json",
                e -> request(e).put("rotationPeriodInDays", "soon")), "not an integer"));
        c.add(m("period is 1e400", edited("cloudtrail-enable-key-rotation.json",
                e -> request(e).set("rotationPeriodInDays", EventFiles.json("1e400"))), "not an integer"));
        c.add(m("period is negative", edited("cloudtrail-enable-key-rotation.json",
                e -> request(e).put("rotationPeriodInDays", -5)), "outside"));
        c.add(m("period is zero", edited("cloudtrail-enable-key-rotation.json",
                e -> request(e).put("rotationPeriodInDays", 0)), "outside"));
        c.add(m("period overflows an int", edited("cloudtrail-enable-key-rotation.json",
                e -> request(e).put("rotationPeriodInDays", 99_999_999_999L)), "not an integer"));
        c.add(m("period is a fraction", edited("cloudtrail-enable-key-rotation.json",
                e -> request(e).put("rotationPeriodInDays", 1.5)), "not an integer"));
        c.add(m("period is an object", edited("cloudtrail-enable-key-rotation.json",
                e -> request(e).set("rotationPeriodInDays", e.objectNode().put("days", 365))), "not an integer"));

        // -- huge but otherwise harmless
        c.add(s("200 KB userAgent on an ignored call", disable(e -> {
            detail(e).put("userAgent", huge);
            detail(e).put("eventName", "ListAliases");
        }), "cannot change a key's rotation"));
        return c.stream();
    }

    static Case m(String name, String body, String says) {
        return new Case(name, utf8(body), Expect.MALFORMED, says);
    }

    static Case s(String name, String body, String says) {
        return new Case(name, utf8(body), Expect.SKIPPED, says);
    }

    // ------------------------------------------------------------------ the test

    @Test
    void theCorpusIsLargeEnough() {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(50);
        assertThat(corpus().map(Case::name).distinct().count()).isEqualTo(corpus().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileEventGivesAClearErrorOrAReportedSkipAndNeverAWrite(Case hostile, Emulator emulator) {
        String keyId = kms.createKey(b -> b.description("needs rotation")).keyMetadata().keyId();
        byte[] body = new String(hostile.body(), StandardCharsets.ISO_8859_1)
                .replace(KEY, keyId).getBytes(StandardCharsets.ISO_8859_1);
        KmsRotationHandler handler = new KmsRotationHandler(LIVE, clients);
        emulator.clearRequests();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Throwable thrown = catchThrowable(() -> handler.handleRequest(new ByteArrayInputStream(body), out,
                new TestContext("KmsRotationFunction")));

        switch (hostile.expect()) {
            case MALFORMED -> assertMalformed(thrown, hostile.says());
            case MALFORMED_OR_KNOWN_CORE_BUG -> {
                // Core's Json.readTree turns Jackson's CharConversionException (an IOException, not a
                // JsonProcessingException) into UncheckedIOException. Still no AWS call, but not the documented
                // exception. Either outcome passes here.
                if (!(thrown instanceof MalformedEventException)) {
                    assertThat(thrown).isInstanceOf(UncheckedIOException.class)
                            .hasCauseInstanceOf(CharConversionException.class);
                    assertThat(thrown.getCause()).hasMessageContaining(hostile.says());
                }
            }
            case SKIPPED -> {
                assertThat(thrown).as("no exception").isNull();
                JsonNode summary = read(out);
                assertThat(summary.path("items")).isNotEmpty();
                for (JsonNode item : summary.path("items")) {
                    assertThat(item.path("outcome").asText()).isEqualTo("SKIPPED");
                    assertThat(item.path("reason").asText()).contains(hostile.says());
                    assertThat(item.path("reason").asText().length()).isLessThan(MAX_MESSAGE);
                }
            }
        }
        // Malformed events fail before any AWS call; the skips here are decided from the event alone as well.
        assertThat(emulator.count("kms")).as("KMS requests").isZero();
        assertThat(emulator.count("kms", "EnableKeyRotation")).isZero();
        assertThat(emulator.count("kms", "DisableKeyRotation")).isZero();
        assertThat(kms.getKeyRotationStatus(b -> b.keyId(keyId)).keyRotationEnabled()).isFalse();
    }

    static void assertMalformed(Throwable thrown, String says) {
        assertThat(thrown).isExactlyInstanceOf(MalformedEventException.class).hasMessageContaining(says);
        String message = thrown.getMessage();
        assertThat(message.length()).as("message length").isLessThan(MAX_MESSAGE);
        assertThat(message.codePoints().filter(cp -> Character.isISOControl(cp)
                || Character.getType(cp) == Character.FORMAT).count()).as("control characters in the message").isZero();
    }

    static JsonNode read(ByteArrayOutputStream out) {
        try {
            return Json.MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
