package dev.atrest.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.audit.aws.AuditGateways;
import dev.atrest.audit.check.AuditCheck;
import dev.atrest.audit.check.CheckRegistry;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.findings.FindingSink;
import dev.atrest.core.findings.FindingsReport;
import dev.atrest.core.json.Json;
import dev.atrest.core.lambda.RetryableFailureException;
import dev.atrest.core.summary.ItemResult;
import dev.atrest.core.summary.RunSummary;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;

/** Test-side access to the emulator: seeding, SDK clients for arranging and checking state, running the handler. */
final class AuditFixture {
    static final String SCHEDULE = "{\"detail-type\":\"Scheduled Event\",\"source\":\"atrest.scheduler\","
            + "\"detail\":{\"task\":\"storage-audit\"}}";

    /** The registered checks, for what they declare: their clients are closed, they make no call. */
    static final CheckRegistry CHECKS = registered();
    /** The ids of the registered checks, in the registry's order. */
    static final List<String> CHECK_IDS = CHECKS.checks().stream().map(AuditCheck::id).toList();

    final Emulator emulator;
    final ClientFactory clients = new ClientFactory(Region.US_EAST_1);

    AuditFixture(Emulator emulator) {
        this.emulator = emulator;
    }

    private static CheckRegistry registered() {
        try (ClientFactory clients = new ClientFactory(Region.US_EAST_1)) {
            return CheckRegistry.standard(AuditGateways.of(clients));
        }
    }

    /** Security Hub on, nothing written but findings (dry run): what most tests audit with. */
    static AuditConfig reportOnly(String... regions) {
        return AuditConfig.builder().regions(regions).securityHubEnabled(true).build();
    }

    JsonNode run(AuditConfig config) {
        return run(config, SCHEDULE);
    }

    JsonNode run(AuditConfig config, String event) {
        return run(config, event, null);
    }

    /**
     * Runs the handler through its byte-level entry point, with a Lambda context (null: none). The summary of a run
     * that failed the invocation (retryable failures) is returned too, marked {@code "invocationFailed": true}.
     */
    JsonNode run(AuditConfig config, String event, Context context) {
        return run(clients, config, event, context);
    }

    /** {@link #run(AuditConfig, String, Context)} with other clients (e.g. ones with SDK retries off). */
    static JsonNode run(ClientFactory clients, AuditConfig config, String event, Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new StorageAuditHandler(config, clients).handleRequest(
                    new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
            JsonNode summary = Json.MAPPER.readTree(out.toByteArray());
            assertThat(summary.path("counts").path("RETRYABLE_FAILURE").asInt())
                    .as("a run with retryable failures fails the invocation").isZero();
            return summary;
        } catch (RetryableFailureException e) {
            com.fasterxml.jackson.databind.node.ObjectNode summary = Json.MAPPER.valueToTree(e.summary());
            assertThat(summary.path("counts").path("RETRYABLE_FAILURE").asInt())
                    .as("an invocation fails only for retryable failures").isPositive();
            return summary.put("invocationFailed", true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A run of the service itself: its summary, and the report its sinks were given. */
    record Audited(RunSummary summary, FindingsReport report) {}

    /**
     * Runs {@link StorageAuditService} with {@code checks} instead of the handler's registry, and {@code sinks} after
     * one that keeps the report. The function's ARN names the account, so STS is not asked.
     */
    Audited runChecks(AuditGateways aws, CheckRegistry checks, AuditConfig config, FindingSink... sinks) {
        List<FindingsReport> reports = new ArrayList<>();
        FindingSink keep = new FindingSink() {
            @Override
            public String name() {
                return "test-report";
            }

            @Override
            public List<ItemResult> publish(FindingsReport report) {
                reports.add(report);
                return List.of();
            }
        };
        List<FindingSink> all = new ArrayList<>(List.of(keep));
        all.addAll(List.of(sinks));
        RunSummary summary = new StorageAuditService(config, clients.defaultRegion().id(), aws, checks,
                Optional.empty(), all).run(AuditTrigger.parse(Json.readTree(new ByteArrayInputStream(
                        SCHEDULE.getBytes(StandardCharsets.UTF_8)))), new TestContext("StorageAuditFunction")
                        .getInvokedFunctionArn());
        return new Audited(summary, reports.get(0));
    }

    /** The summary item of one check in one region. */
    static JsonNode scope(JsonNode summary, String region, String check) {
        return StreamSupport.stream(summary.path("items").spliterator(), false)
                .filter(i -> (region + "/" + check).equals(i.path("resource").asText()) && "AUDIT".equals(i.path("action").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no item for " + region + "/" + check + " in " + summary));
    }

    static List<JsonNode> items(JsonNode summary, String action) {
        List<JsonNode> out = new ArrayList<>();
        summary.path("items").forEach(i -> {
            if (action.equals(i.path("action").asText())) {
                out.add(i);
            }
        });
        return out;
    }

    JsonNode seedEc2(String json) {
        return read(emulator.post("/_atrest/ec2/seed", json));
    }

    JsonNode seedEfs(String json) {
        return read(emulator.post("/_atrest/efs/seed", json));
    }

    static List<String> ids(JsonNode seeded, String field) {
        List<String> out = new ArrayList<>();
        seeded.path(field).forEach(n -> out.add(n.asText()));
        return out;
    }

    Ec2Client ec2(String region) {
        return clients.client("ec2", Region.of(region), Ec2Client::builder);
    }

    EfsClient efs(String region) {
        return clients.client("elasticfilesystem", Region.of(region), EfsClient::builder);
    }

    S3Client s3() {
        return clients.client("s3", () -> S3Client.builder().forcePathStyle(true));
    }

    /** A bucket in {@code region} (us-east-1 takes no location constraint). */
    void bucket(String region, String name) {
        S3Client s3 = clients.client("s3", Region.of(region), () -> S3Client.builder().forcePathStyle(true));
        s3.createBucket(b -> {
            b.bucket(name);
            if (!"us-east-1".equals(region)) {
                b.createBucketConfiguration(c -> c.locationConstraint(region));
            }
        });
    }

    KmsClient kms(String region) {
        return clients.client("kms", Region.of(region), KmsClient::builder);
    }

    SecurityHubClient hub(String region) {
        return clients.client("securityhub", Region.of(region), SecurityHubClient::builder);
    }

    /** Every finding in the region's hub, without filters (the test checks what the function left there). */
    Map<String, AwsSecurityFinding> findings(String region) {
        Map<String, AwsSecurityFinding> out = new java.util.TreeMap<>();
        hub(region).getFindingsPaginator(b -> b.maxResults(100)).findings().forEach(f -> out.put(f.id(), f));
        return out;
    }

    private static JsonNode read(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
