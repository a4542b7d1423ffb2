package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.Json;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The account/region scope of events, echo bounds, and the "overwritten meanwhile" rule. Pure. */
class EventScopeTest {
    static JsonNode json(String s) {
        return Json.readTree(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
    }

    static final String NOTIFICATION = "{\"Records\":[{\"eventSource\":\"aws:s3\",\"awsRegion\":\"%s\","
            + "\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"k\"}}}]}";
    static final String EVENTBRIDGE = "{\"detail-type\":\"Object Created\",\"source\":\"aws.s3\",\"account\":\"%s\","
            + "\"region\":\"%s\",\"detail\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"k\"}}}";

    @Test
    void aNotificationRecordForAnotherRegionIsSkipped() {
        ObjectTask t = EventParser.parse(json(NOTIFICATION.formatted("eu-west-1")), "123456789012", "us-east-1")
                .tasks().get(0);
        assertThat(t.outOfScope()).contains("another region", "eu-west-1");
        assertThat(EventParser.parse(json(NOTIFICATION.formatted("us-east-1")), "123456789012", "us-east-1")
                .tasks().get(0).outOfScope()).isNull();
        assertThat(EventParser.parse(json(NOTIFICATION.formatted("eu-west-1"))).tasks().get(0).outOfScope())
                .as("unknown home region: not checked").isNull();
    }

    @Test
    void anEventBridgeEventForAnotherAccountOrRegionIsSkipped() {
        assertThat(EventParser.parse(json(EVENTBRIDGE.formatted("999999999999", "us-east-1")), "123456789012",
                "us-east-1").tasks().get(0).outOfScope()).contains("another account");
        assertThat(EventParser.parse(json(EVENTBRIDGE.formatted("123456789012", "eu-west-1")), "123456789012",
                "us-east-1").tasks().get(0).outOfScope()).contains("another region");
        assertThat(EventParser.parse(json(EVENTBRIDGE.formatted("123456789012", "us-east-1")), "123456789012",
                "us-east-1").tasks().get(0).outOfScope()).isNull();
        assertThat(EventParser.parse(json(EVENTBRIDGE.formatted("999999999999", "us-east-1")), null, "us-east-1")
                .tasks().get(0).outOfScope()).as("unknown own account: not checked").isNull();
    }

    @Test
    void keysLongerThan1024BytesAreMalformed() {
        String event = "{\"Records\":[{\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"%s\"}}}]}";
        assertThat(EventParser.parse(json(event.formatted("é".repeat(512)))).tasks().get(0).problem()).isNull();
        assertThat(EventParser.parse(json(event.formatted("é".repeat(513)))).tasks().get(0).problem())
                .contains("1026 bytes");
    }

    static ObjectState state(String version, String etag, Instant modified) {
        return new ObjectState("b", "k", version, Encryption.SSE_KMS, "arn", true, null, null, 3, etag, modified, null,
                null, null, 0, null, Map.of(), null);
    }

    static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> afterUpdate() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("another ETag, a later second", null,
                        HeadResult.present(state(null, "\"b\"", T0.plusSeconds(1))), true),
                // LastModified has one-second resolution: a write in the same second is still a newer write, since
                // UpdateObjectEncryption never changes the ETag.
                org.junit.jupiter.params.provider.Arguments.of("another ETag, the same second", null,
                        HeadResult.present(state(null, "\"b\"", T0)), true),
                org.junit.jupiter.params.provider.Arguments.of("deleted since", null,
                        HeadResult.absent(HeadResult.Presence.MISSING), true),
                org.junit.jupiter.params.provider.Arguments.of("overwritten with SSE-C", null,
                        HeadResult.absent(HeadResult.Presence.CUSTOMER_KEY_REQUIRED), true),
                // UpdateObjectEncryption keeps LastModified: a later one is another write, whatever the ETag.
                org.junit.jupiter.params.provider.Arguments.of("same ETag, a later second", null,
                        HeadResult.present(state(null, "\"a\"", T0.plusSeconds(1))), true),
                org.junit.jupiter.params.provider.Arguments.of("same ETag, same second, other metadata", null,
                        HeadResult.present(new ObjectState("b", "k", null, Encryption.SSE_KMS, "arn", true, null, null,
                                3, "\"a\"", T0, null, null, null, 0, null, Map.of("m", "2"), null)), true),
                org.junit.jupiter.params.provider.Arguments.of("only the encryption differs", null,
                        HeadResult.present(new ObjectState("b", "k", null, Encryption.SSE_S3, null, null, null, null,
                                3, "\"a\"", T0, null, null, null, 0, null, Map.of(), null)), false),
                org.junit.jupiter.params.provider.Arguments.of("a named version cannot be overwritten", "v1",
                        HeadResult.present(state("v1", "\"b\"", T0.plusSeconds(1))), false));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> newer write: {3}")
    @org.junit.jupiter.params.provider.MethodSource("afterUpdate")
    void anUpdateFollowedByANewerWriteIsNotDamage(String name, String version, HeadResult after, boolean newer) {
        ObjectState before = state(version, "\"a\"", T0);
        assertThat(ReencryptService.overwrittenMeanwhile(before, after)).isEqualTo(newer);
    }
}
