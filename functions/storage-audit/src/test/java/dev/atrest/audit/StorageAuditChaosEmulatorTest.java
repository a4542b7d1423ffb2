package dev.atrest.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.audit.check.CheckDefinition;
import dev.atrest.audit.check.EbsDefaultEncryptionCheck;
import dev.atrest.audit.check.EbsSnapshotCheck;
import dev.atrest.audit.check.S3BucketSseCBlockedCheck;
import dev.atrest.audit.check.EbsVolumeCheck;
import dev.atrest.audit.check.EfsFileSystemCheck;
import dev.atrest.audit.check.S3BucketDefaultEncryptionCheck;
import dev.atrest.audit.check.TagDecision;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.json.Json;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.SdkCallCounter;
import dev.atrest.testing.TestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateTagsRequest;
import software.amazon.awssdk.services.ec2.model.ModifyEbsDefaultKmsKeyIdRequest;
import software.amazon.awssdk.services.efs.model.TagResourceRequest;
import software.amazon.awssdk.services.efs.model.FileSystemDescription;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Chaos: 20% of every request the audit makes (EC2, EFS, S3, Security Hub, SNS, STS and KMS) fails through
 * the emulator's fault layer with a fixed seed: throttling, 500, 503 and dropped connections. Two regions hold tens of
 * resources of every kind, EBS encryption by default is off in one, Security Hub is on in both and the SNS summary
 * reaches an SQS queue. A healthy audit first leaves findings open; then some resources are fixed or deleted; then
 * several scheduled audits run under faults (the template gives the audit no Lambda retry: each run is one
 * invocation), then one healthy run, the next schedule.
 *
 * <p>After every run, against the state the test reads itself: every non-compliant resource is in Security Hub and
 * counted in the SNS summary, or the run reported the failure (a failed scope, import, publish or tagging in the
 * summary); no finding has a wrong status; a finding is resolved only in a run whose read of its scope succeeded and
 * only if its resource is really fixed or gone; tags mark exactly non-compliant resources; every EBS default change is
 * in the summary. The healthy run must converge to the exact expected state.
 */
@ExtendWith(EmulatorExtension.class)
class StorageAuditChaosEmulatorTest {
    static final long SEED = 20261127L;
    static final String EAST = "us-east-1";
    static final String WEST = "eu-west-1";
    static final List<String> REGIONS = List.of(EAST, WEST);
    static final String ACCOUNT = TestContext.ACCOUNT;
    /**
     * Scheduled runs under faults: with the SDK's retries few faults reach the audit, so three runs; without them a
     * single fault on STS or ListBuckets ends a run early, so more runs to reach every way of failing.
     */
    static int chaosRuns(int sdkMaxAttempts) {
        return sdkMaxAttempts == 0 ? 3 : 8;
    }
    static final Set<String> FAILED_OUTCOMES = Set.of("RETRYABLE_FAILURE", "FAILED", "CRITICAL");

    /** Per service: 8% throttling, 5% 500, 5% 503, 2% dropped connection; conditional rates, tried in order. */
    static String faults(long seed) {
        Map<String, String> throttling = Map.of("ec2", "503,\"code\":\"RequestLimitExceeded\"",
                "s3", "503,\"code\":\"SlowDown\"");
        List<String> rules = new ArrayList<>();
        for (String service : List.of("ec2", "elasticfilesystem", "s3", "securityhub", "sns", "sts", "kms")) {
            String prefix = "{\"service\":\"" + service + "\",\"operation\":\"*\",\"rate\":";
            rules.add(prefix + 0.08 + ",\"status\":" + throttling.getOrDefault(service,
                    "400,\"code\":\"ThrottlingException\"") + ",\"message\":\"Rate exceeded\"}");
            rules.add(prefix + (0.05 / 0.92) + ",\"status\":500,\"code\":\"InternalError\",\"message\":\"injected\"}");
            rules.add(prefix + (0.05 / 0.87) + ",\"status\":503,\"code\":\"ServiceUnavailable\",\"message\":\"injected\"}");
            rules.add(prefix + (0.02 / 0.82) + ",\"drop\":true}");
        }
        return "{\"seed\":" + seed + ",\"rules\":[" + String.join(",", rules) + "]}";
    }

    private AuditFixture fx;
    private String topic;
    private String queueUrl;
    private final Map<String, String> cmk = new HashMap<>();

    @BeforeEach
    void setUp(Emulator emulator) {
        fx = new AuditFixture(emulator);
    }

    // ------------------------------------------------------------------ the account

    /** Findings whose resource was fixed or deleted after the first audit: these, and only these, may be resolved. */
    private final Set<String> changed = new TreeSet<>();

    private void seed() {
        SnsClient sns = fx.clients.client("sns", Region.US_EAST_1, SnsClient::builder);
        SqsClient sqs = fx.clients.client("sqs", Region.US_EAST_1, SqsClient::builder);
        topic = sns.createTopic(b -> b.name("findings")).topicArn();
        queueUrl = sqs.createQueue(b -> b.queueName("findings-inbox")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn));
        for (String region : REGIONS) {
            fx.hub(region).enableSecurityHub(b -> {});
            String key = fx.kms(region).createKey(b -> b.description("chaos cmk")).keyMetadata().arn();
            cmk.put(region, key);
            fx.seedEc2("{\"region\":\"" + region + "\",\"volumes\":[{\"count\":10},{\"count\":4,\"encrypted\":true}],"
                    + "\"snapshots\":[{\"count\":6},{\"count\":3,\"encrypted\":true}]}");
            fx.seedEfs("{\"region\":\"" + region + "\",\"fileSystems\":[{\"count\":3},{\"count\":2,\"encrypted\":true,"
                    + "\"kmsKeyId\":\"" + key + "\"},{\"count\":1,\"encrypted\":true}]}");
            for (int i = 0; i < 10; i++) {
                String name = "chaos-" + region + "-" + i;
                fx.bucket(region, name);
                if (i >= 4) { // 0-3 without default encryption, 4-6 SSE-S3, 7-9 SSE-KMS
                    ServerSideEncryption sse = i < 7 ? ServerSideEncryption.AES256 : ServerSideEncryption.AWS_KMS;
                    fx.s3().putBucketEncryption(b -> b.bucket(name).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                            .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(sse)))));
                }
            }
        }
        fx.bucket("ap-south-1", "chaos-out-of-scope");
        // EBS encryption by default: on with a customer managed key in the east, off in the west.
        fx.ec2(EAST).enableEbsEncryptionByDefault(b -> {});
        fx.ec2(EAST).modifyEbsDefaultKmsKeyId(b -> b.kmsKeyId(cmk.get(EAST)));
    }

    /** Per region: two unencrypted volumes and a snapshot deleted, a file system deleted, a bucket fixed. */
    private void fixOrDeleteSome() {
        for (String region : REGIONS) {
            Ec2Client ec2 = fx.ec2(region);
            ec2.describeVolumes(b -> {}).volumes().stream().filter(v -> !v.encrypted()).limit(2).forEach(v -> {
                ec2.deleteVolume(b -> b.volumeId(v.volumeId()));
                changed.add(findingId(EbsVolumeCheck.DEFINITION, region, volumeArn(region, v.volumeId())));
            });
            ec2.describeSnapshots(b -> b.ownerIds("self")).snapshots().stream().filter(s -> !s.encrypted()).limit(1)
                    .forEach(s -> {
                        ec2.deleteSnapshot(b -> b.snapshotId(s.snapshotId()));
                        changed.add(findingId(EbsSnapshotCheck.DEFINITION, region, snapshotArn(region, s.snapshotId())));
                    });
            FileSystemDescription fs = fx.efs(region).describeFileSystems(b -> {}).fileSystems().stream()
                    .filter(f -> !f.encrypted()).findFirst().orElseThrow();
            fx.efs(region).deleteFileSystem(b -> b.fileSystemId(fs.fileSystemId()));
            changed.add(findingId(EfsFileSystemCheck.DEFINITION, region, fs.fileSystemArn()));
            String bucket = "chaos-" + region + "-0";
            fx.s3().putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                    .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS)
                            .kmsMasterKeyID(cmk.get(region))))));
            changed.add(findingId(S3BucketDefaultEncryptionCheck.DEFINITION, region, "arn:aws:s3:::" + bucket));
        }
        assertThat(changed).hasSize(10);
    }

    static String findingId(CheckDefinition check, String region, String resource) {
        return "atrest/" + check.id() + "/" + region + "/" + resource;
    }

    static String volumeArn(String region, String id) {
        return "arn:aws:ec2:" + region + ":" + ACCOUNT + ":volume/" + id;
    }

    static String snapshotArn(String region, String id) {
        return "arn:aws:ec2:" + region + "::snapshot/" + id;
    }

    static String defaultsId(String region) {
        return findingId(EbsDefaultEncryptionCheck.DEFINITION, region, "AWS::::Account:" + ACCOUNT);
    }

    /** A resource as the test reads it (faults off), with the test's own verdict. */
    record Resource(String findingId, String region, String check, boolean compliant, String tagValue,
            String expectedTag) {}

    /** The world now, judged by the test with the audit's rules stated plainly (customer managed keys required). */
    private Map<String, Resource> truth() {
        Map<String, Resource> out = new TreeMap<>();
        for (String region : REGIONS) {
            Ec2Client ec2 = fx.ec2(region);
            ec2.describeVolumes(b -> {}).volumes().forEach(v -> add(out, new Resource(
                    findingId(EbsVolumeCheck.DEFINITION, region, volumeArn(region, v.volumeId())), region,
                    EbsVolumeCheck.DEFINITION.id(), v.encrypted() && cmk.get(region).equals(v.kmsKeyId()), tag(v.tags().stream().collect(Collectors.toMap(
                            t -> t.key(), t -> t.value()))), "EC2.3 ebs-volume-encrypted")));
            ec2.describeSnapshots(b -> b.ownerIds("self")).snapshots().forEach(s -> add(out, new Resource(
                    findingId(EbsSnapshotCheck.DEFINITION, region, snapshotArn(region, s.snapshotId())), region,
                    EbsSnapshotCheck.DEFINITION.id(), s.encrypted() && cmk.get(region).equals(s.kmsKeyId()), tag(s.tags().stream().collect(Collectors.toMap(
                            t -> t.key(), t -> t.value()))), "ebs-snapshot-encrypted")));
            fx.efs(region).describeFileSystems(b -> {}).fileSystems().forEach(fs -> add(out, new Resource(
                    findingId(EfsFileSystemCheck.DEFINITION, region, fs.fileSystemArn()), region,
                    EfsFileSystemCheck.DEFINITION.id(), fs.encrypted() && cmk.get(region).equals(fs.kmsKeyId()),
                    tag(fs.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value()))),
                    "EFS.1 efs-encrypted")));
            boolean on = ec2.getEbsEncryptionByDefault(b -> {}).ebsEncryptionByDefault();
            String key = ec2.getEbsDefaultKmsKeyId(b -> {}).kmsKeyId();
            add(out, new Resource(defaultsId(region), region, EbsDefaultEncryptionCheck.DEFINITION.id(),
                    on && cmk.get(region).equals(key), null, null));
        }
        fx.s3().listBuckets().buckets().forEach(b -> {
            String region = fx.s3().getBucketLocation(r -> r.bucket(b.name())).locationConstraintAsString();
            region = region == null || region.isEmpty() ? EAST : region;
            if (!REGIONS.contains(region)) {
                return;
            }
            String sse;
            String key;
            boolean blocksSseC;
            try {
                var rule = fx.s3().getBucketEncryption(r -> r.bucket(b.name())).serverSideEncryptionConfiguration()
                        .rules().get(0);
                sse = rule.applyServerSideEncryptionByDefault().sseAlgorithmAsString();
                key = rule.applyServerSideEncryptionByDefault().kmsMasterKeyID();
                blocksSseC = rule.blockedEncryptionTypes() != null
                        && rule.blockedEncryptionTypes().encryptionTypeAsStrings().contains("SSE-C");
            } catch (S3Exception e) {
                sse = null;
                key = null;
                blocksSseC = false;
            }
            // aws:kms without a key is the AWS managed aws/s3 key: not customer managed.
            add(out, new Resource(findingId(S3BucketDefaultEncryptionCheck.DEFINITION, region, "arn:aws:s3:::" + b.name()), region,
                    S3BucketDefaultEncryptionCheck.DEFINITION.id(), "aws:kms".equals(sse) && cmk.get(region).equals(key),
                    null, null));
            add(out, new Resource(findingId(S3BucketSseCBlockedCheck.DEFINITION, region, "arn:aws:s3:::" + b.name()),
                    region, S3BucketSseCBlockedCheck.DEFINITION.id(), blocksSseC, null, null));
        });
        return out;
    }

    private static void add(Map<String, Resource> out, Resource r) {
        out.put(r.findingId(), r);
    }

    private static String tag(Map<String, String> tags) {
        return tags.get(TagDecision.TAG_KEY);
    }

    // ------------------------------------------------------------------ one run and what it reported

    /** What one run's summary says it could not do. */
    record Reported(JsonNode summary, boolean started, Set<String> failedScopes, Set<String> historyUnknown,
            Set<String> importFailed, boolean publishFailed, Set<String> tagFailed, List<JsonNode> ebsActions) {
        /** The run could not read the scope. */
        boolean notRead(String region, String check) {
            return !started || failedScopes.contains(region + "/" + check);
        }

        /** The run could not read the scope, or could not bring Security Hub up to date for its region. */
        boolean unseen(String region, String check) {
            return notRead(region, check) || historyUnknown.contains(region) || importFailed.contains(region);
        }
    }

    static Reported reported(JsonNode summary) {
        boolean started = true;
        Set<String> failedScopes = new TreeSet<>();
        Set<String> history = new TreeSet<>();
        Set<String> imports = new TreeSet<>();
        Set<String> tags = new TreeSet<>();
        boolean publish = false;
        List<JsonNode> ebs = new ArrayList<>();
        for (JsonNode i : summary.path("items")) {
            String action = i.path("action").asText();
            String resource = i.path("resource").asText();
            boolean failed = FAILED_OUTCOMES.contains(i.path("outcome").asText());
            switch (action) {
                case "AUDIT" -> {
                    if (resource.equals("account")) {
                        started = false;
                    } else if (failed && resource.endsWith("/securityhub-history")) {
                        history.add(resource.substring(0, resource.indexOf('/')));
                    } else if (failed) {
                        failedScopes.add(resource);
                    }
                }
                case "IMPORT_FINDINGS" -> {
                    if (failed) {
                        imports.add(software.amazon.awssdk.arns.Arn.fromString(resource).region().orElseThrow());
                    }
                }
                case "PUBLISH" -> publish |= failed;
                case "TAG_NON_COMPLIANT", "UNTAG_NON_COMPLIANT" -> {
                    if (failed) {
                        tags.add(resource);
                    }
                }
                case "ENABLE_EBS_DEFAULT_ENCRYPTION" -> ebs.add(i);
                default -> { }
            }
        }
        return new Reported(summary, started, failedScopes, history, imports, publish, tags, ebs);
    }

    /**
     * The audit through its byte-level entry point. A run with retryable failures fails the invocation (Lambda's
     * retries, then the on-failure queue) after writing its outputs; the fixture returns that run's summary too.
     */
    private JsonNode invoke(ClientFactory clients, AuditConfig config) {
        return AuditFixture.run(clients, config, AuditFixture.SCHEDULE, new TestContext("StorageAuditFunction"));
    }

    private List<JsonNode> summaryMessages() {
        SqsClient sqs = fx.clients.client("sqs", Region.US_EAST_1, SqsClient::builder);
        List<JsonNode> out = new ArrayList<>();
        var messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
        for (var m : messages) {
            out.add(read(read(m.body()).path("Message").asText()));
            sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
        }
        return out;
    }

    private Map<String, AwsSecurityFinding> hub() {
        Map<String, AwsSecurityFinding> out = new TreeMap<>();
        REGIONS.forEach(r -> out.putAll(fx.findings(r)));
        return out;
    }

    // ------------------------------------------------------------------ the checks after every run

    /**
     * @param before the hub before the run (to tell which findings this run resolved)
     */
    private void assertNothingLostOrWrong(String run, Reported rep, Map<String, AwsSecurityFinding> before,
            List<JsonNode> messages, List<AuditCallLog.Write> writes) {
        Map<String, Resource> world = truth();
        Map<String, AwsSecurityFinding> hub = hub();

        // 1. Every non-compliant resource is in Security Hub, open and failed, or the run said why it is not.
        for (Resource r : world.values()) {
            if (r.compliant()) {
                continue;
            }
            AwsSecurityFinding f = hub.get(r.findingId());
            boolean open = f != null && "ACTIVE".equals(f.recordStateAsString())
                    && "FAILED".equals(f.compliance().statusAsString());
            assertThat(open || rep.unseen(r.region(), r.check()))
                    .as(run + ": " + r.findingId() + " is non-compliant: open in Security Hub or reported").isTrue();
        }

        // 2. No finding with a wrong status, and no finding resolved by a run that did not see its scope.
        for (AwsSecurityFinding f : hub.values()) {
            Resource r = world.get(f.id());
            String region = f.resources().get(0).region();
            String check = f.productFields().get("atrest/CheckId");
            assertThat(f.id()).as(run + ": no finding for the out-of-scope bucket").doesNotContain("out-of-scope");
            if ("ACTIVE".equals(f.recordStateAsString())) {
                assertThat(f.compliance().statusAsString()).as(run + ": " + f.id()).isEqualTo("FAILED");
                if (r == null || r.compliant()) {
                    // Open, though fixed or gone: only a finding of a changed resource whose scope this run could
                    // not finish may stay open, and the run must have said so.
                    assertThat(changed.contains(f.id()) || f.id().equals(defaultsId(WEST)))
                            .as(run + ": " + f.id() + " is open but its resource was never non-compliant").isTrue();
                    assertThat(rep.unseen(region, check)).as(run + ": " + f.id() + " fixed or gone, still open, and "
                            + "the run did not report " + region + "/" + check).isTrue();
                }
            } else {
                assertThat(f.recordStateAsString()).isEqualTo("ARCHIVED");
                assertThat(f.compliance().statusAsString()).as(run + ": " + f.id()).isEqualTo("PASSED");
                assertThat(r == null || r.compliant()).as(run + ": " + f.id() + " resolved but non-compliant").isTrue();
                AwsSecurityFinding was = before.get(f.id());
                if (was == null || "ACTIVE".equals(was.recordStateAsString())) {
                    assertThat(rep.started() && !rep.failedScopes().contains(region + "/" + check)
                            && !rep.historyUnknown().contains(region))
                            .as(run + ": " + f.id() + " resolved by a run that did not see " + region + "/" + check)
                            .isTrue();
                }
            }
        }

        // 3. The SNS summary counts every non-compliant resource, or names the scope as failed, or was reported lost.
        assertThat(messages).as(run + ": at most one summary per run").hasSizeLessThanOrEqualTo(1);
        if (messages.isEmpty()) {
            assertThat(rep.publishFailed() || !rep.started()).as(run + ": no SNS summary and none reported lost")
                    .isTrue();
        } else {
            JsonNode body = messages.get(0);
            Set<String> messageFailures = new TreeSet<>();
            body.path("failures").forEach(x -> messageFailures.add(x.path("region").asText() + "/"
                    + x.path("check").asText()));
            Set<String> summaryFailures = new TreeSet<>(rep.failedScopes());
            rep.historyUnknown().forEach(r -> summaryFailures.add(r + "/securityhub-history"));
            assertThat(messageFailures).as(run + ": the SNS summary names the failed scopes").isEqualTo(summaryFailures);
            Map<String, Integer> counted = new TreeMap<>();
            body.path("byCheckAndRegion").forEach(row -> counted.put(row.path("region").asText() + "/"
                    + row.path("check").asText(), row.path("nonCompliant").asInt()));
            for (String region : REGIONS) {
                for (String check : AuditFixture.CHECK_IDS) {
                    String scope = region + "/" + check;
                    if (messageFailures.contains(scope)) {
                        continue;
                    }
                    long expected = world.values().stream().filter(r -> !r.compliant() && r.region().equals(region)
                            && r.check().equals(check)).count();
                    assertThat(counted.get(scope)).as(run + ": SNS count of " + scope).isEqualTo((int) expected);
                }
            }
        }

        // 4. Tags mark exactly the non-compliant resources, unless the run reported why not.
        for (Resource r : world.values()) {
            if (r.expectedTag() == null) {
                continue;
            }
            if (r.tagValue() != null) {
                assertThat(r.compliant()).as(run + ": " + r.findingId() + " tagged but compliant").isFalse();
                assertThat(r.tagValue()).as(run + ": tag of " + r.findingId()).isEqualTo(r.expectedTag());
            } else if (!r.compliant()) {
                assertThat(rep.notRead(r.region(), r.check()) || rep.tagFailed().contains(r.region() + "/" + r.check()))
                        .as(run + ": " + r.findingId() + " non-compliant, untagged, and nothing reported").isTrue();
            }
        }

        // 5. Writes: EBS default changed only in the west, only to the configured key, never unreported; tags added
        //    only to non-compliant resources and never removed (nothing compliant was ever tagged).
        Set<String> nonCompliantIds = world.values().stream().filter(r -> !r.compliant())
                .map(r -> r.findingId().substring(r.findingId().lastIndexOf('/') + 1)).collect(Collectors.toSet());
        for (AuditCallLog.Write w : writes) {
            switch (w.operation()) {
                case "EnableEbsEncryptionByDefault", "ModifyEbsDefaultKmsKeyId" -> {
                    assertThat(w.region()).as(run + ": EBS default changed only where it was off").isEqualTo(WEST);
                    assertThat(rep.ebsActions()).as(run + ": the EBS default change is in the summary").isNotEmpty();
                    if (w.request() instanceof ModifyEbsDefaultKmsKeyIdRequest m) {
                        assertThat(m.kmsKeyId()).isEqualTo(cmk.get(WEST));
                    }
                }
                case "CreateTags" -> assertThat(((CreateTagsRequest) w.request()).resources())
                        .as(run + ": tagged").allSatisfy(id -> assertThat(nonCompliantIds).contains(id));
                case "TagResource" -> assertThat(nonCompliantIds).as(run + ": tagged")
                        .contains(((TagResourceRequest) w.request()).resourceId());
                case "DeleteTags", "UntagResource" -> fail(run + ": a tag was removed, but no compliant resource was "
                        + "ever tagged: " + w.request());
                default -> { }
            }
        }
        if (!fx.ec2(WEST).getEbsEncryptionByDefault(b -> {}).ebsEncryptionByDefault()) {
            assertThat(rep.notRead(WEST, EbsDefaultEncryptionCheck.DEFINITION.id()) || rep.ebsActions().stream()
                    .anyMatch(a -> FAILED_OUTCOMES.contains(a.path("outcome").asText())))
                    .as(run + ": EBS default still off in the west and no failure reported").isTrue();
        }
    }

    // ------------------------------------------------------------------ the test

    /**
     * @param sdkMaxAttempts 0: the SDK's default retry strategy (what Lambda runs); 1: SDK retries off
     *     ({@code aws.maxAttempts=1}), so every fault reaches the audit and its failure reporting is exercised
     */
    @ParameterizedTest(name = "SDK max attempts {0} (0 = SDK default)")
    @ValueSource(ints = {0, 1})
    void everyFindingEndsUpReportedOrTheFailureIsAndNothingIsWronglyResolved(int sdkMaxAttempts, Emulator emulator) {
        seed();
        AuditConfig history = AuditConfig.builder().regions(EAST, WEST).securityHubEnabled(true)
                .requireCustomerManagedKey(true).build();
        JsonNode first = fx.run(history, AuditFixture.SCHEDULE, new TestContext("StorageAuditFunction"));
        assertThat(first.path("errors")).as("the healthy first audit").isEmpty();
        fixOrDeleteSome();
        assertThat(hub().keySet()).as("every changed resource had an open finding").containsAll(changed);
        AuditConfig live = AuditConfig.builder().regions(EAST, WEST).securityHubEnabled(true).findingsTopicArn(topic)
                .tagResources(true).enableEbsDefaultEncryption(true).ebsDefaultKmsKeyArn(cmk.get(WEST)).dryRun(false)
                .requireCustomerManagedKey(true).build();

        // The SDK reads the setting when a client is built, and the audit builds its clients lazily: the setting
        // stays for the whole chaos phase (the test's own clients were all built during seeding).
        if (sdkMaxAttempts > 0) {
            System.setProperty("aws.maxAttempts", Integer.toString(sdkMaxAttempts));
        }
        ClientFactory chaosClients = new ClientFactory(Region.US_EAST_1);

        Map<String, Long> calls = new TreeMap<>();
        Map<String, Long> attempts = new TreeMap<>();
        Map<String, Long> exhausted = new TreeMap<>();
        List<Map<String, Object>> log = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> runLines = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (int run = 1; run <= chaosRuns(sdkMaxAttempts); run++) {
                Map<String, AwsSecurityFinding> before = hub();
                long injectedBefore = injected(emulator);
                emulator.clearRequests();
                AuditCallLog.reset();
                // A fixed seed per run: the faults are turned off between runs to read the state back.
                emulator.post("/_atrest/faults", faults(SEED + run));
                JsonNode summary;
                try {
                    summary = invoke(chaosClients, live);
                } finally {
                    emulator.post("/_atrest/faults", "{\"rules\":[]}");
                }
                List<Map<String, Object>> runLog = emulator.requests();
                log.addAll(runLog);
                AuditCallLog.COUNTS.calls().forEach((k, v) -> calls.merge(k, v, Long::sum));
                AuditCallLog.COUNTS.attempts().forEach((k, v) -> attempts.merge(k, v, Long::sum));
                AuditCallLog.COUNTS.failed().forEach((k, v) -> exhausted.merge(k, v, Long::sum));
                List<AuditCallLog.Write> writes = AuditCallLog.writes();
                summary.path("counts").fields().forEachRemaining(e -> outcomes.merge(e.getKey(), e.getValue().asInt(),
                        Integer::sum));
                Reported rep = reported(summary);
                List<String> nonRetryable = new ArrayList<>();
                summary.path("items").forEach(i -> {
                    if ("FAILED".equals(i.path("outcome").asText())) {
                        nonRetryable.add(i.path("resource").asText() + " " + i.path("action").asText() + ": "
                                + i.path("reason").asText());
                    }
                });
                runLines.add(String.format("run %d: %d requests, %d faults; started=%s, failed scopes %s, history "
                        + "unknown %s, import failed %s, publish failed %s, tagging failed %s, EBS default actions %s, "
                        + "FAILED (not retryable) items %s", run, runLog.size(), injected(emulator) - injectedBefore,
                        rep.started(), rep.failedScopes(), rep.historyUnknown(), rep.importFailed(), rep.publishFailed(),
                        rep.tagFailed(), rep.ebsActions().stream().map(a -> a.path("outcome").asText()).toList(),
                        nonRetryable));
                assertNothingLostOrWrong("chaos run " + run, rep, before, summaryMessages(), writes);
            }
        } finally {
            chaosClients.close();
            System.clearProperty("aws.maxAttempts");
        }
        long chaosMs = (System.nanoTime() - started) / 1_000_000;
        Map<String, Object> stats = faultStats(emulator);

        // ---- figures
        long requests = log.size();
        long injected = ((Number) stats.get("injected")).longValue();
        long dropped = log.stream().filter(r -> Boolean.TRUE.equals(r.get("dropped"))).count();
        long genuine404 = log.stream().filter(r -> Integer.valueOf(404).equals(r.get("status"))).count();
        long errorAnswers = log.stream().filter(r -> r.get("status") == null
                || ((Number) r.get("status")).intValue() >= 400).count();
        Map<String, Long> byStatus = log.stream().collect(Collectors.groupingBy(
                r -> r.get("status") == null ? "dropped" : String.valueOf(r.get("status")), TreeMap::new,
                Collectors.counting()));
        Map<Object, Long> byService = log.stream().collect(Collectors.groupingBy(r -> r.get("service"), TreeMap::new,
                Collectors.counting()));
        long totalCalls = SdkCallCounter.total(calls);
        long totalAttempts = SdkCallCounter.total(attempts);
        long totalExhausted = SdkCallCounter.total(exhausted);
        System.out.printf("CHAOS [SDK max attempts %s] seed=%d, %d chaos runs in %d ms%n",
                sdkMaxAttempts == 0 ? "default" : sdkMaxAttempts, SEED, chaosRuns(sdkMaxAttempts), chaosMs);
        runLines.forEach(l -> System.out.println("CHAOS   " + l));
        System.out.printf("CHAOS HTTP requests (emulator log): %d, by status %s, by service %s%n", requests, byStatus,
                byService);
        System.out.printf("CHAOS faults injected (GET /_atrest/faults): %d of %s matched, %d dropped connections; "
                + "%.1f%% of requests%n", injected, stats.get("matched"), dropped, 100.0 * injected / requests);
        System.out.printf("CHAOS SDK calls %d, attempts %d, retries %d, calls failed after the SDK's retries %d "
                + "(%d of them genuine 404s: buckets without default encryption); %d requests resent by the JDK's "
                + "HttpURLConnection after a dropped connection%n", totalCalls, totalAttempts, totalAttempts - totalCalls,
                totalExhausted, genuine404, requests - totalAttempts);
        System.out.printf("CHAOS item outcomes over the chaos runs %s%n", outcomes);

        // ---- the figures agree with each other
        assertThat(injected).as("faults were injected").isPositive();
        // The JDK's HttpURLConnection (under the SDK's URL connection client) sends a request once more, unseen by
        // the SDK, when the connection closes before any answer: only dropped connections can cause that.
        long resentBelowSdk = requests - totalAttempts;
        assertThat(resentBelowSdk).as("requests the SDK did not send itself").isBetween(0L, dropped);
        assertThat(errorAnswers - genuine404).as("every other error answer was an injected fault").isEqualTo(injected);
        assertThat(injected).as("each fault was retried (by the SDK or below it) or ended a call the run reported")
                .isEqualTo((totalAttempts - totalCalls) + (totalExhausted - genuine404) + resentBelowSdk);
        assertThat((double) injected / requests).as("about 20% of requests failed").isBetween(0.12, 0.28);

        // ---- the next scheduled run, AWS healthy: everything converges exactly
        Map<String, AwsSecurityFinding> before = hub();
        AuditCallLog.reset();
        JsonNode healthy;
        try (ClientFactory clients = new ClientFactory(Region.US_EAST_1)) {
            healthy = invoke(clients, live);
        }
        Reported rep = reported(healthy);
        assertThat(healthy.path("errors")).as("the healthy run").isEmpty();
        assertNothingLostOrWrong("healthy run", rep, before, summaryMessages(), AuditCallLog.writes());
        Map<String, Resource> world = truth();
        Map<String, AwsSecurityFinding> hub = hub();
        for (Resource r : world.values()) {
            if (!r.compliant()) {
                assertThat(hub.get(r.findingId()).recordStateAsString()).as(r.findingId()).isEqualTo("ACTIVE");
                if (r.expectedTag() != null) {
                    assertThat(r.tagValue()).as("tag of " + r.findingId()).isEqualTo(r.expectedTag());
                }
            }
        }
        for (String id : changed) {
            assertThat(hub.get(id).recordStateAsString()).as(id + " resolved").isEqualTo("ARCHIVED");
        }
        assertThat(world.get(defaultsId(WEST)).compliant()).as("EBS default on with the key in the west").isTrue();
        assertThat(hub.get(defaultsId(WEST)).recordStateAsString()).isEqualTo("ARCHIVED");
        long nonCompliant = world.values().stream().filter(r -> !r.compliant()).count();
        assertThat(nonCompliant).as("tens of non-compliant resources").isGreaterThanOrEqualTo(40);
        System.out.printf("CHAOS healthy run after the chaos: %d non-compliant open, %d changed resources resolved, "
                + "EBS default on in the west; converged%n", nonCompliant, changed.size());
    }

    /**
     * The outputs fail for good (every Publish and every import answered 503): the findings cannot reach anyone, so
     * the summary must say so, as retryable, and nothing else may be lost (tags still follow the findings).
     */
    @Test
    void outputsThatCannotBeWrittenAreReportedAsRetryable(Emulator emulator) {
        seed();
        emulator.post("/_atrest/faults", "{\"rules\":[{\"service\":\"sns\",\"operation\":\"Publish\",\"count\":-1,"
                + "\"status\":503,\"code\":\"ServiceUnavailable\",\"message\":\"down\"},{\"service\":\"securityhub\","
                + "\"operation\":\"POST /findings/import\",\"count\":-1,\"status\":503,\"code\":\"ServiceUnavailable\","
                + "\"message\":\"down\"}]}");
        JsonNode summary;
        try (ClientFactory clients = new ClientFactory(Region.US_EAST_1)) {
            summary = invoke(clients, AuditConfig.builder().regions(EAST, WEST).securityHubEnabled(true)
                    .findingsTopicArn(topic).tagResources(true).dryRun(false).requireCustomerManagedKey(true).build());
        } finally {
            emulator.post("/_atrest/faults", "{\"rules\":[]}");
        }

        Reported rep = reported(summary);
        assertThat(rep.publishFailed()).isTrue();
        assertThat(rep.importFailed()).containsExactlyInAnyOrder(EAST, WEST);
        assertThat(summary.path("items").findValues("outcome").stream().map(JsonNode::asText))
                .doesNotContain("FAILED").contains("RETRYABLE_FAILURE");
        assertThat(summary.path("errors").toString()).contains("sink sns failed");
        assertThat(summaryMessages()).isEmpty();
        assertThat(hub()).isEmpty();
        assertThat(truth().values()).filteredOn(r -> r.expectedTag() != null && !r.compliant())
                .isNotEmpty().allSatisfy(r -> assertThat(r.tagValue()).isEqualTo(r.expectedTag()));
    }

    private static Map<String, Object> faultStats(Emulator emulator) {
        HttpRequest get = HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/_atrest/faults")).GET().build();
        try {
            String body = HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.ofString()).body();
            return Json.MAPPER.readValue(body, new TypeReference<>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long injected(Emulator emulator) {
        return ((Number) faultStats(emulator).get("injected")).longValue();
    }

    static JsonNode read(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
