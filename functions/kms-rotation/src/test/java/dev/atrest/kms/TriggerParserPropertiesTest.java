package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.config.ConfigLoader;
import dev.atrest.core.json.Json;
import dev.atrest.testing.EventFiles;
import dev.atrest.testing.JsonArbitraries;
import dev.atrest.core.json.MalformedEventException;
import java.io.ByteArrayInputStream;
import java.io.CharConversionException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based (jqwik): whatever JSON or bytes arrive, parsing ends in a {@link Trigger} whose fields are
 * valid, or in {@link MalformedEventException} with a short printable message; nothing else is ever thrown, and the
 * pure steps after parsing (scope check, triage) never throw at all.
 */
class TriggerParserPropertiesTest {
    static final RotationConfig CONFIG = RotationConfig.builder().maxRotationPeriodDays(400).dryRun(false).build();
    static final String KEY = "1234abcd-12ab-34cd-56ef-1234567890ab";

    static final List<String> FIELDS = List.of("source", "detail-type", "detail", "account", "region", "eventName",
            "eventSource", "awsRegion", "errorCode", "errorMessage", "requestParameters", "responseElements",
            "keyMetadata", "keyId", "arn", "resources", "type", "ARN", "rotationPeriodInDays", "task", "userIdentity",
            "recipientAccountId", "invokedBy", "eventID");

    static final List<String> VALUES = List.of("aws.kms", "AWS API Call via CloudTrail", "Scheduled Event",
            "aws.events", "aws.scheduler", "atrest.scheduler", "rotation-sweep", "CreateKey", "DisableKeyRotation",
            "EnableKeyRotation", "ReplicateKey", "EnableKey", "CancelKeyDeletion", "ImportKeyMaterial",
            "kms.amazonaws.com", "us-east-1", "eu-west-1", "123456789012", "999999999999", "AWS::KMS::Key", KEY,
            "arn:aws:kms:us-east-1:123456789012:key/" + KEY, "arn:aws:kms:eu-west-1:999999999999:key/" + KEY,
            "alias/orders", "365", "2000", "90", "-1", "", " ", "AccessDenied", "null", "\u0000", "\u202e");

    static final List<List<String>> PATHS = List.of(List.of("source"), List.of("detail-type"), List.of("account"),
            List.of("region"), List.of("detail"), List.of("detail", "task"), List.of("detail", "eventName"),
            List.of("detail", "eventSource"), List.of("detail", "awsRegion"), List.of("detail", "errorCode"),
            List.of("detail", "recipientAccountId"), List.of("detail", "requestParameters"),
            List.of("detail", "requestParameters", "keyId"),
            List.of("detail", "requestParameters", "rotationPeriodInDays"), List.of("detail", "responseElements"),
            List.of("detail", "responseElements", "keyMetadata"),
            List.of("detail", "responseElements", "keyMetadata", "arn"),
            List.of("detail", "responseElements", "keyMetadata", "keyId"), List.of("detail", "resources"),
            List.of("detail", "userIdentity"), List.of("detail", "userIdentity", "type"));

    static final List<String> SAMPLES;

    static {
        List<String> samples = new ArrayList<>();
        SampleEvents.cloudTrailFiles().forEach(f -> samples.add(EventFiles.text(f)));
        samples.add(EventFiles.text("scheduled-event.json"));
        samples.add("{\"detail-type\":\"Scheduled Event\",\"source\":\"atrest.scheduler\",\"detail\":{\"task\":"
                + "\"rotation-sweep\"}}");
        SAMPLES = List.copyOf(samples);
    }

    // ------------------------------------------------------------------ generators

    static final JsonArbitraries GEN = new JsonArbitraries(FIELDS, VALUES);

    static Arbitrary<String> text() {
        return GEN.text();
    }

    static Arbitrary<JsonNode> json(int depth) {
        return GEN.json(depth);
    }

    @Provide
    Arbitrary<JsonNode> anyJson() {
        return json(4);
    }

    /** A real sample event (CloudTrail or schedule) with one to four fields removed or replaced by anything. */
    @Provide
    Arbitrary<JsonNode> mutatedEvents() {
        return GEN.mutated(SAMPLES.stream().map(EventFiles::json).toList(), PATHS);
    }

    // ------------------------------------------------------------------ properties

    @Property(tries = 1000)
    void anyJsonIsATriggerOrMalformed(@ForAll("anyJson") JsonNode event) {
        Statistics.label("result").collect(check(event));
    }

    @Property(tries = 2000)
    void mutatedEventsAreATriggerOrMalformed(@ForAll("mutatedEvents") JsonNode event) {
        String result = check(event);
        Statistics.label("result").collect(result);
        Statistics.label("result").coverage(c -> {
            c.check("KeyEvent").percentage(p -> p > 5);
            c.check("Sweep").percentage(p -> p > 1);
            c.check("MalformedEventException").percentage(p -> p > 5);
        });
    }

    @Property(tries = 500)
    void anyTextIsATriggerOrMalformed(@ForAll @StringLength(max = 200) String body) {
        checkBytes(body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 500)
    void anyBytesAreATriggerOrMalformed(@ForAll @Size(max = 64) byte[] body) {
        checkBytes(body);
    }

    static void checkBytes(byte[] body) {
        JsonNode event;
        try {
            event = Json.readTree(new ByteArrayInputStream(body));
        } catch (MalformedEventException e) {
            assertClear(e);
            return;
        } catch (UncheckedIOException e) {
            // Jackson's CharConversionException for bytes that look
            // like UTF-32 is an IOException, not a JsonProcessingException, and escapes Json.readTree unmapped.
            assertThat(e).hasCauseInstanceOf(CharConversionException.class);
            return;
        }
        check(event);
    }

    /** Parses; on success checks the trigger and runs the later pure steps. Returns what happened, for statistics. */
    static String check(JsonNode event) {
        Trigger trigger;
        try {
            trigger = TriggerParser.parse(event);
        } catch (MalformedEventException e) {
            assertClear(e);
            return "MalformedEventException";
        }
        switch (trigger) {
            case Trigger.Sweep sweep -> assertThat(TriggerParser.SCHEDULE_SOURCES).contains(sweep.source());
            case Trigger.KeyEvent keyEvent -> {
                KeyApiCall call = keyEvent.call();
                assertThat(call.eventName()).isNotBlank();
                assertThat(call.region()).matches(ConfigLoader.REGION);
                if (call.errorCode() == null) {
                    assertThat(call.keyRef()).matches(ConfigLoader.KMS_KEY_REFERENCE);
                    if (call.requestedPeriodDays() != null) {
                        assertThat(call.requestedPeriodDays()).isBetween(RotationConfig.MIN_PERIOD,
                                RotationConfig.MAX_PERIOD);
                    }
                }
                ApiCallTriage.skipReason(call, CONFIG).ifPresent(reason -> assertThat(reason).isNotBlank());
            }
        }
        EventScope.outOfScope(event, trigger, "123456789012", "us-east-1", CONFIG.regions())
                .ifPresent(reason -> assertThat(reason).contains("not acted on"));
        return trigger.getClass().getSimpleName();
    }

    static void assertClear(MalformedEventException e) {
        assertThat(e.getMessage()).isNotBlank();
        assertThat(e.getMessage().length()).isLessThan(600);
    }
}
