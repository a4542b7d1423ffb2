package dev.atrest.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrest.core.json.Json;
import dev.atrest.testing.EventFiles;
import dev.atrest.testing.JsonArbitraries;
import dev.atrest.core.json.MalformedEventException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based (jqwik): whatever JSON or bytes arrive, {@link AuditTrigger#parse} returns a trigger with
 * a schedule source or throws {@link MalformedEventException} with a short printable message; nothing else. Every
 * valid scheduled event parses, and its scope decision matches an independent statement of the rule: acted on
 * exactly when every account and region it names is the function's own.
 */
class AuditTriggerPropertiesTest {
    static final String OWN = "123456789012";
    static final String HOME = "us-east-1";
    static final Set<String> SOURCES = Set.of("atrest.scheduler", "aws.events", "aws.scheduler");

    static final List<String> FIELDS = List.of("source", "detail-type", "detail", "task", "account", "region",
            "resources", "time", "id", "version", "Records", "eventName");
    static final List<String> VALUES = List.of("Scheduled Event", "aws.events", "aws.scheduler", "atrest.scheduler",
            "storage-audit", "rotation-sweep", OWN, "999999999999", HOME, "eu-west-1", "",  " ", "null",
            "arn:aws:events:us-east-1:123456789012:rule/audit", "arn:aws:events:eu-west-1:999999999999:rule/x",
            "\u0000", "\u202e", "\u2028", "\ud800", "Object Created", "aws.s3");

    static final String SAMPLE = EventFiles.text("scheduled-event.json");
    static final List<String> SAMPLES = List.of(SAMPLE, AuditFixture.SCHEDULE,
            "{\"version\":\"0\",\"id\":\"e\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"account\":\""
                    + OWN + "\",\"time\":\"2026-11-20T00:00:00Z\",\"region\":\"" + HOME + "\",\"resources\":"
                    + "[\"arn:aws:events:us-east-1:" + OWN + ":rule/audit\"],\"detail\":{}}");

    static final List<List<String>> PATHS = List.of(List.of("source"), List.of("detail-type"), List.of("detail"),
            List.of("detail", "task"), List.of("account"), List.of("region"), List.of("resources"), List.of("time"),
            List.of("id"), List.of("version"));

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

    /** A real schedule event with one to four fields removed or replaced by anything. */
    @Provide
    Arbitrary<JsonNode> mutatedEvents() {
        return GEN.mutated(SAMPLES.stream().map(EventFiles::json).toList(), PATHS);
    }

    /** A valid scheduled event as EventBridge or Scheduler might send it: the facts, and the event built from them. */
    record Valid(String source, String account, String region, List<String> resources, JsonNode event) {}

    @Provide
    Arbitrary<Valid> validEvents() {
        Arbitrary<String> accounts = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(OWN)),
                Tuple.of(1, Arbitraries.strings().numeric().ofLength(12))).injectNull(0.3);
        Arbitrary<String> regions = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(HOME)),
                Tuple.of(1, Arbitraries.of("eu-west-1", "us-west-2", "ap-south-1", "cn-north-1"))).injectNull(0.3);
        Arbitrary<String> arns = Combinators.combine(Arbitraries.of("events", "scheduler"), regions, accounts,
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20))
                .as((service, region, account, name) -> "arn:aws:" + service + ":" + (region == null ? "" : region) + ":"
                        + (account == null ? "" : account) + ":" + (service.equals("events") ? "rule/" : "schedule/default/")
                        + name);
        Arbitrary<Map<String, JsonNode>> extras = Arbitraries.maps(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).filter(k -> !FIELDS.contains(k)),
                json(2)).ofMaxSize(4);
        return Combinators.combine(Arbitraries.of(SOURCES), accounts, regions, arns.list().ofMaxSize(3),
                Arbitraries.of(true, false), extras).as((source, account, region, resources, withTask, extra) -> {
                    ObjectNode event = Json.MAPPER.createObjectNode();
                    event.put("detail-type", "Scheduled Event");
                    event.put("source", source);
                    if (account != null) {
                        event.put("account", account);
                    }
                    if (region != null) {
                        event.put("region", region);
                    }
                    if (!resources.isEmpty() || withTask) {
                        ArrayNode r = event.putArray("resources");
                        resources.forEach(r::add);
                    }
                    ObjectNode detail = event.putObject("detail");
                    if (withTask || source.equals("atrest.scheduler")) {
                        detail.put("task", AuditTrigger.TASK);
                    }
                    extra.forEach(event::set);
                    return new Valid(source, account, region, resources, event);
                });
    }

    // ------------------------------------------------------------------ properties

    @Property(tries = 1000)
    void anyJsonIsATriggerOrMalformed(@ForAll("anyJson") JsonNode event) {
        Statistics.label("result").collect(check(event));
    }

    @Property(tries = 2000)
    void mutatedEventsAreATriggerOrMalformed(@ForAll("mutatedEvents") JsonNode event) {
        Statistics.label("result").collect(check(event));
        Statistics.label("result").coverage(c -> {
            c.check("acted on").percentage(p -> p > 5);
            c.check("skipped").percentage(p -> p > 2);
            c.check("MalformedEventException").percentage(p -> p > 5);
        });
    }

    @Property(tries = 1000)
    void everyValidScheduledEventParsesAndIsSkippedExactlyWhenItNamesAnotherAccountOrRegion(
            @ForAll("validEvents") Valid valid) {
        AuditTrigger trigger = AuditTrigger.parse(valid.event());

        assertThat(trigger.source()).isEqualTo(valid.source());
        assertThat(trigger.account()).isEqualTo(valid.account());
        assertThat(trigger.region()).isEqualTo(valid.region());
        assertThat(trigger.resources()).isEqualTo(valid.resources());
        boolean ours = (valid.account() == null || valid.account().equals(OWN))
                && (valid.region() == null || valid.region().equals(HOME))
                && valid.resources().stream().allMatch(arn -> {
                    software.amazon.awssdk.arns.Arn a = software.amazon.awssdk.arns.Arn.fromString(arn);
                    return a.region().map(HOME::equals).orElse(true) && a.accountId().map(OWN::equals).orElse(true);
                });
        Optional<String> skip = trigger.outOfScope(OWN, HOME);
        assertThat(skip.isEmpty()).as("acted on").isEqualTo(ours);
        skip.ifPresent(AuditTriggerPropertiesTest::assertClear);
        Statistics.label("scope").collect(ours ? "acted on" : "skipped");
        // Without the account known yet, only the region decides; the account is checked once STS has answered.
        boolean regionOurs = (valid.region() == null || valid.region().equals(HOME))
                && valid.resources().stream().allMatch(arn -> {
                    String r = arn.split(":", 6)[3];
                    return r.isEmpty() || r.equals(HOME);
                });
        assertThat(trigger.outOfScope(null, HOME).isEmpty()).isEqualTo(regionOurs);
    }

    @Property(tries = 500)
    void anyTextIsATriggerOrMalformed(@ForAll @StringLength(max = 200) String body) {
        checkBytes(body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 500)
    void anyBytesAreATriggerOrMalformed(@ForAll @Size(max = 64) byte[] body) {
        checkBytes(body);
    }

    @Property(tries = 1000)
    void echoedTextIsShortAndPrintable(@ForAll @StringLength(max = 400) String value) {
        String echoed = dev.atrest.core.json.UntrustedText.abbreviate(value);
        assertThat(echoed.length()).isLessThanOrEqualTo(dev.atrest.core.json.UntrustedText.MAX_ECHO + 20);
        assertPrintable(echoed);
        if (value.length() <= 20 && value.codePoints().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            assertThat(echoed).isEqualTo(value);
        }
    }

    static void checkBytes(byte[] body) {
        JsonNode event;
        try {
            event = Json.readTree(new ByteArrayInputStream(body));
        } catch (MalformedEventException e) {
            assertClear(e.getMessage());
            return;
        }
        check(event);
    }

    /** Parses; on success checks the trigger and the scope decision. Returns what happened, for statistics. */
    static String check(JsonNode event) {
        AuditTrigger trigger;
        try {
            trigger = AuditTrigger.parse(event);
        } catch (MalformedEventException e) {
            assertClear(e.getMessage());
            return "MalformedEventException";
        }
        assertThat(SOURCES).contains(trigger.source());
        Optional<String> skip = trigger.outOfScope(OWN, HOME);
        skip.ifPresent(reason -> {
            assertThat(reason).contains("not acted on");
            assertClear(reason);
        });
        return skip.isPresent() ? "skipped" : "acted on";
    }

    static void assertClear(String message) {
        assertThat(message).isNotBlank();
        assertThat(message.length()).isLessThan(600);
        assertPrintable(message);
    }

    static void assertPrintable(String message) {
        assertThat(message.codePoints().filter(cp -> Character.isISOControl(cp)
                || Character.getType(cp) == Character.FORMAT || Character.getType(cp) == Character.SURROGATE
                || Character.getType(cp) == Character.LINE_SEPARATOR)).as("unprintable in: " + message).isEmpty();
    }
}
