package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrest.core.config.RegionSelection;
import dev.atrest.testing.EventFiles;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which events are this function's (account and region), decided from the event alone. */
class EventScopeTest {
    static final String OWN = "123456789012";
    static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/" + SampleEvents.SAMPLE_KEY;

    static JsonNode event(String account, String region, String recipient, String awsRegion, String keyId) {
        ObjectNode event = (ObjectNode) EventFiles.json(EventFiles.text("cloudtrail-disable-key-rotation.json"));
        ObjectNode detail = (ObjectNode) event.get("detail");
        set(event, "account", account);
        set(event, "region", region);
        set(detail, "recipientAccountId", recipient);
        set(detail, "awsRegion", awsRegion);
        ((ObjectNode) detail.get("requestParameters")).put("keyId", keyId);
        return event;
    }

    static void set(ObjectNode node, String field, String value) {
        if (value == null || value.isEmpty()) {
            node.remove(field);
        } else {
            node.put(field, value);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "all ours                       |123456789012|123456789012|us-east-1|123456789012|us-east-1|KEY        |-",
        "no envelope, bare key id       |123456789012|            |         |            |us-east-1|k1         |-",
        "own account unknown, consistent|-           |123456789012|us-east-1|123456789012|us-east-1|KEY        |-",
        "envelope account               |123456789012|999999999999|us-east-1|123456789012|us-east-1|KEY        |another account",
        "recipient account              |123456789012|123456789012|us-east-1|999999999999|us-east-1|KEY        |another account",
        "key ARN account                |123456789012|123456789012|us-east-1|123456789012|us-east-1|OTHER_ACCT |another account",
        "own account unknown, mixed     |-           |123456789012|us-east-1|999999999999|us-east-1|KEY        |another account",
        "envelope region                |123456789012|123456789012|eu-west-1|123456789012|us-east-1|KEY        |another region",
        "record region                  |123456789012|123456789012|us-east-1|123456789012|eu-west-1|k1         |another region",
        "key ARN region                 |123456789012|123456789012|us-east-1|123456789012|us-east-1|OTHER_REGION|another region",
    })
    void decidesFromTheEventAlone(String row, String own, String account, String region, String recipient,
                                  String awsRegion, String key, String reason) {
        String keyId = switch (key.strip()) {
            case "KEY" -> KEY;
            case "OTHER_ACCT" -> KEY.replace(OWN, "999999999999");
            case "OTHER_REGION" -> KEY.replace("us-east-1", "eu-west-1");
            default -> key.strip();
        };
        JsonNode event = event(account, region, recipient, awsRegion, keyId);
        Optional<String> out = EventScope.outOfScope(event, TriggerParser.parse(event), own, "us-east-1",
                RegionSelection.HOME);
        if (reason == null) {
            assertThat(out).as(row).isEmpty();
        } else {
            assertThat(out).as(row).hasValueSatisfying(r -> assertThat(r).contains(reason).contains("not acted on"));
        }
    }

    /** REGIONS widens what a key event may name; every Region the event names must be covered. */
    @ParameterizedTest(name = "REGIONS={0}: event in {1}, key ARN in {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "-                  |eu-west-1|eu-west-1|another region",
        "us-east-1,eu-west-1|eu-west-1|eu-west-1|-",
        "us-east-1,eu-west-1|eu-west-1|us-east-1|another region",
        "eu-west-1          |us-east-1|us-east-1|another region",
        "eu-west-1          |eu-west-1|eu-west-1|-",
        "all                |ap-southeast-2|ap-southeast-2|-",
        "all                |cn-north-1|cn-north-1|another region",
    })
    void keyEventsActInCoveredRegionsOnly(String regions, String eventRegion, String keyRegion, String reason) {
        String key = KEY.replace("us-east-1", keyRegion);
        JsonNode event = event(OWN, eventRegion, OWN, eventRegion, key);
        Optional<String> out = EventScope.outOfScope(event, TriggerParser.parse(event), OWN, "us-east-1",
                selection(regions));
        if (reason == null) {
            assertThat(out).isEmpty();
        } else {
            assertThat(out).hasValueSatisfying(r -> assertThat(r).contains(reason).contains("not acted on"));
        }
    }

    /** A scheduled sweep comes from the function's own Region, even when REGIONS leaves that Region out. */
    @ParameterizedTest(name = "REGIONS={0}: schedule in {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "eu-west-1|us-east-1|-",
        "eu-west-1|eu-west-1|-",
        "eu-west-1|ap-south-1|another region",
        "-        |ap-south-1|another region",
    })
    void sweepsComeFromTheOwnRegion(String regions, String region, String reason) {
        ObjectNode event = (ObjectNode) EventFiles.json(EventFiles.text("scheduled-event.json"));
        event.put("region", region);
        event.put("account", OWN);
        Optional<String> out = EventScope.outOfScope(event, TriggerParser.parse(event), OWN, "us-east-1",
                selection(regions));
        assertThat(out.map(r -> r.contains(reason))).isEqualTo(reason == null ? Optional.empty() : Optional.of(true));
    }

    static RegionSelection selection(String regions) {
        if (regions == null) {
            return RegionSelection.HOME;
        }
        return regions.equals("all") ? RegionSelection.allEnabled() : RegionSelection.of(regions.split(","));
    }
}
