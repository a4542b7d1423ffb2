package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrest.core.json.Json;
import dev.atrest.core.json.MalformedEventException;
import dev.atrest.testing.EventFiles;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TriggerParserTest {
    private static final String SAMPLE_ARN = "arn:aws:kms:us-east-1:123456789012:key/" + SampleEvents.SAMPLE_KEY;
    private static final String MRK_ARN = "arn:aws:kms:us-east-1:123456789012:key/" + SampleEvents.SAMPLE_MRK;

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of("cloudtrail-create-key.json", "CreateKey", SAMPLE_ARN, null, null),
                Arguments.of("cloudtrail-disable-key-rotation.json", "DisableKeyRotation", SAMPLE_ARN, null, null),
                Arguments.of("cloudtrail-enable-key-rotation.json", "EnableKeyRotation", SampleEvents.SAMPLE_KEY,
                        2000, null),
                Arguments.of("cloudtrail-replicate-key.json", "ReplicateKey", MRK_ARN, null, null),
                Arguments.of("cloudtrail-cancel-key-deletion.json", "CancelKeyDeletion", SampleEvents.SAMPLE_KEY,
                        null, null),
                Arguments.of("cloudtrail-enable-key.json", "EnableKey", SampleEvents.SAMPLE_KEY, null, null),
                Arguments.of("cloudtrail-import-key-material.json", "ImportKeyMaterial", SampleEvents.SAMPLE_KEY,
                        null, null),
                Arguments.of("cloudtrail-disable-key-rotation-failed.json", "DisableKeyRotation", SAMPLE_ARN, null,
                        "AccessDenied"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void parsesEachSampleCloudTrailEvent(String file, String eventName, String keyRef, Integer period,
                                         String errorCode) {
        Trigger trigger = TriggerParser.parse(EventFiles.json(EventFiles.text(file)));
        assertThat(trigger).isInstanceOf(Trigger.KeyEvent.class);
        KeyApiCall call = ((Trigger.KeyEvent) trigger).call();
        assertThat(call.eventName()).isEqualTo(eventName);
        assertThat(call.keyRef()).isEqualTo(keyRef);
        assertThat(call.requestedPeriodDays()).isEqualTo(period);
        assertThat(call.errorCode()).isEqualTo(errorCode);
        assertThat(call.region()).isEqualTo("us-east-1");
        assertThat(call.caller().arn()).isNotBlank();
    }

    @Test
    void everyCloudTrailSampleIsCovered() {
        assertThat(SampleEvents.cloudTrailFiles())
                .containsExactlyInAnyOrderElementsOf(samples().map(a -> (String) a.get()[0]).toList());
    }

    @Test
    void samplesCarryWhoMadeTheCall() {
        KeyApiCall call = ((Trigger.KeyEvent) TriggerParser.parse(EventFiles.json(
                EventFiles.text("cloudtrail-disable-key-rotation.json")))).call();
        assertThat(call.caller()).isEqualTo(new Caller("AssumedRole",
                "arn:aws:sts::123456789012:assumed-role/Admin/alice", "AROAEXAMPLEROLEID:alice", "123456789012",
                null));
        assertThat(call.caller().isPerson()).isTrue();
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource(delimiter = '|', value = {
        "aws.scheduler|{}",
        "aws.events|{}",
        "atrest.scheduler|{\"task\":\"rotation-sweep\"}",
        "atrest.scheduler|{}",
    })
    void scheduledEventsStartTheSweep(String source, String detail) {
        Trigger trigger = TriggerParser.parse(EventFiles.json("{\"detail-type\":\"Scheduled Event\",\"source\":\""
                + source + "\",\"detail\":" + detail + "}"));
        assertThat(trigger).isEqualTo(new Trigger.Sweep(source));
    }

    @Test
    void theSampleScheduledEventStartsTheSweep() {
        assertThat(TriggerParser.parse(EventFiles.json(EventFiles.text("scheduled-event.json"))))
                .isEqualTo(new Trigger.Sweep("aws.scheduler"));
    }

    /** The runtime's own typed view of the sample (aws-lambda-java-tests) agrees that it is a sweep. */
    @ParameterizedTest
    @Event(value = "../../events/scheduled-event.json", type = ScheduledEvent.class)
    void runtimeTypedScheduledEventIsASweep(ScheduledEvent event) {
        ObjectNode envelope = Json.MAPPER.createObjectNode()
                .put("detail-type", event.getDetailType())
                .put("source", event.getSource());
        envelope.set("detail", Json.MAPPER.valueToTree(event.getDetail()));
        assertThat(TriggerParser.parse(envelope)).isEqualTo(new Trigger.Sweep("aws.scheduler"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "identity type|AWSService|invokedBy-none|false",
        "root|Root||true",
        "iam user|IAMUser||true",
        "service on behalf of a role|AssumedRole|cloudformation.amazonaws.com|false",
        "no identity|||false",
    })
    void recognisesPeople(String row, String type, String invokedBy, boolean person) {
        Caller caller = new Caller(type, null, null, null, "invokedBy-none".equals(invokedBy) ? null : invokedBy);
        assertThat(caller.isPerson()).as(row).isEqualTo(person);
    }

    static Stream<Arguments> malformed() {
        String create = EventFiles.text("cloudtrail-create-key.json");
        String disable = EventFiles.text("cloudtrail-disable-key-rotation.json");
        String enable = EventFiles.text("cloudtrail-enable-key-rotation.json");
        return Stream.of(
                Arguments.of("an array", "[1,2]", "not a JSON object"),
                Arguments.of("S3 event", EventFiles.text("eventbridge-object-created.json"), "unsupported event"),
                Arguments.of("other scheduled task", "{\"detail-type\":\"Scheduled Event\",\"source\":"
                        + "\"atrest.scheduler\",\"detail\":{\"task\":\"audit\"}}", "task 'audit'"),
                Arguments.of("scheduled from elsewhere", "{\"detail-type\":\"Scheduled Event\",\"source\":"
                        + "\"my.app\"}", "unsupported event"),
                Arguments.of("no detail", without(disable, "detail"), "no detail record"),
                Arguments.of("no eventName", withoutDetail(disable, "eventName"), "no eventName"),
                Arguments.of("bad region", replaceDetail(disable, "awsRegion", "moon"), "no valid awsRegion"),
                Arguments.of("no key", withoutDetail(withoutDetail(disable, "requestParameters"), "resources"),
                        "names no KMS key"),
                Arguments.of("CreateKey without response", withoutDetail(withoutDetail(create, "responseElements"),
                        "resources"), "names no KMS key"),
                Arguments.of("key is not a key", replaceRequest(disable, "keyId", "'; DROP TABLE keys"),
                        "invalid KMS key"),
                Arguments.of("period is not a number", replaceRequest(enable, "rotationPeriodInDays", "soon"),
                        "not an integer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedEventsGiveAClearError(String row, String event, String message) {
        assertThatThrownBy(() -> TriggerParser.parse(EventFiles.json(event)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining(message);
    }

    @Test
    void keyGivenAsAliasIsKept() {
        String event = replaceRequest(EventFiles.text("cloudtrail-enable-key.json"), "keyId", "alias/orders");
        assertThat(((Trigger.KeyEvent) TriggerParser.parse(EventFiles.json(event))).call().keyRef())
                .isEqualTo("alias/orders");
    }

    @Test
    void failedCallWithoutAKeyIsStillParsedSoItCanBeIgnored() {
        String event = withoutDetail(withoutDetail(EventFiles.text("cloudtrail-disable-key-rotation-failed.json"),
                "requestParameters"), "resources");
        KeyApiCall call = ((Trigger.KeyEvent) TriggerParser.parse(EventFiles.json(event))).call();
        assertThat(call.errorCode()).isEqualTo("AccessDenied");
        assertThat(call.keyRef()).isNull();
    }

    static String without(String json, String field) {
        ObjectNode node = (ObjectNode) EventFiles.json(json);
        node.remove(field);
        return node.toString();
    }

    static String withoutDetail(String json, String field) {
        ObjectNode node = (ObjectNode) EventFiles.json(json);
        ((ObjectNode) node.get("detail")).remove(field);
        return node.toString();
    }

    static String replaceDetail(String json, String field, String value) {
        ObjectNode node = (ObjectNode) EventFiles.json(json);
        ((ObjectNode) node.get("detail")).put(field, value);
        return node.toString();
    }

    static String replaceRequest(String json, String field, String value) {
        ObjectNode node = (ObjectNode) EventFiles.json(json);
        ((ObjectNode) node.get("detail").get("requestParameters")).put(field, value);
        return node.toString();
    }
}
