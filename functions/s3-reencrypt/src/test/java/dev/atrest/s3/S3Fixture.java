package dev.atrest.s3;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.config.BucketScope;
import dev.atrest.core.json.Json;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** Seeds the emulator, invokes the handler the way Lambda does (JSON in, JSON out) and reads the request log. */
final class S3Fixture implements AutoCloseable {
    static final String BUCKET = "atrest-it";
    static final String FUNCTION = "S3ReencryptFunction";
    static final String ACCOUNT = "123456789012";
    /** The function role's unique id in these tests; S3 names a session of it as AWS:<role id>:<session>. */
    static final String ROLE_ID = "AROAEXAMPLEROLEID1234";
    static final String OWN_PRINCIPAL = "AWS:" + ROLE_ID + ":" + FUNCTION;
    /** Every bucket the emulator tests of this module use. */
    static final BucketScope SCOPE = BucketScope.listed(BUCKET, "atrest-versioned", "atrest-locked", "atrest-enforced",
            "atrest-storm", "atrest-demo-bucket");

    final Emulator emulator;
    final ClientFactory clients = new ClientFactory(Region.US_EAST_1);
    final S3Client s3;
    final KmsClient kms;
    final String keyArn;
    final String otherKeyArn;

    S3Fixture(Emulator emulator) {
        this.emulator = emulator;
        this.s3 = clients.client("s3", () -> S3Client.builder().forcePathStyle(true));
        this.kms = clients.client("kms", KmsClient::builder);
        this.keyArn = kms.createKey(b -> b.description("atrest target")).keyMetadata().arn();
        this.otherKeyArn = kms.createKey(b -> b.description("other")).keyMetadata().arn();
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    ReencryptConfig config() {
        return config(keyArn, Set.of(), true, 4);
    }

    static ReencryptConfig config(String keyArn, Set<String> compliant, boolean verify, int concurrency) {
        return ReencryptConfig.builder().targetKeyArn(keyArn).dryRun(false).compliantKeyArns(compliant)
                .partSizeBytes(ReencryptConfig.MIN_PART_BYTES).verifyAfterWrite(verify).functionRoleId(ROLE_ID)
                .maxConcurrency(concurrency).accountId(ACCOUNT).scope(SCOPE).build();
    }

    void versioned(String bucket) {
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
    }

    String put(String key, String body, ServerSideEncryption sse) {
        return put(BUCKET, key, body, sse);
    }

    String put(String bucket, String key, String body, ServerSideEncryption sse) {
        PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(bucket).key(key).serverSideEncryption(sse);
        if (sse == ServerSideEncryption.AWS_KMS) {
            b.ssekmsKeyId(keyArn).bucketKeyEnabled(true);
        }
        return s3.putObject(b.build(), RequestBody.fromString(body)).versionId();
    }

    HeadObjectResponse head(String key) {
        return s3.headObject(b -> b.bucket(BUCKET).key(key).checksumMode("ENABLED"));
    }

    String content(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
    }

    /** An S3 notification naming the objects; keys form-encoded as S3 does ('+' for space, '/' kept). */
    static String notificationBy(String principal, String bucket, String... keys) {
        StringBuilder records = new StringBuilder();
        for (String key : keys) {
            if (!records.isEmpty()) {
                records.append(',');
            }
            String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
            records.append(Json.write(Map.of(
                    "eventVersion", "2.1", "eventSource", "aws:s3", "awsRegion", "us-east-1",
                    "eventName", "ObjectCreated:Put",
                    "userIdentity", Map.of("principalId", principal),
                    "s3", Map.of("s3SchemaVersion", "1.0", "bucket", Map.of("name", bucket),
                            "object", Map.of("key", encoded, "size", 1, "sequencer", "0055AED6DCD90281E5")))));
        }
        return "{\"Records\":[" + records + "]}";
    }

    static String notification(String... keys) {
        return notificationBy("AWS:AROAEXAMPLEROLEID:alice", BUCKET, keys);
    }

    JsonNode invoke(String event) {
        return invoke(config(), event);
    }

    JsonNode invoke(ReencryptConfig config, String event) {
        return invoke(new S3ReencryptHandler(config, clients), event);
    }

    /** One more invocation of the same container (its caches kept). */
    JsonNode invoke(S3ReencryptHandler handler, String event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                    new TestContext(S3Fixture.FUNCTION));
            return Json.MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The S3 operations answered since the last clear, in order. */
    List<String> s3Operations() {
        return emulator.requests().stream().filter(r -> "s3".equals(r.get("service")))
                .map(r -> (String) r.get("operation")).toList();
    }

    /** A bucket with Object Lock (and so versioning) enabled. */
    void lockedBucket(String bucket) {
        s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
    }

    /**
     * Holds the next {@code operation} on {@code key} at the emulator (before it takes any lock, so other writes go
     * on) until {@link #release}: a deterministic race.
     */
    void hold(String operation, String key, String name) {
        emulator.post("/_atrest/faults", "{\"rules\":[{\"service\":\"s3\",\"operation\":\"" + operation
                + "\",\"key\":\"" + key + "\",\"count\":1,\"hold\":\"" + name + "\"}]}");
    }

    /** Waits until a request is held under {@code name}. */
    void awaitHeld(String name) {
        try {
            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(emulator.endpoint() + "/_atrest/faults/held?hold=" + name
                            + "&count=1&timeout_ms=20000")).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("nothing held under " + name + ": " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void release(String name) {
        emulator.post("/_atrest/faults/release", "{\"hold\":\"" + name + "\"}");
    }

    void clearFaults() {
        emulator.post("/_atrest/faults", "{\"rules\":[]}");
    }

    void fault(String operation, int status, String code, int count) {
        emulator.post("/_atrest/faults", "{\"rules\":[{\"service\":\"s3\",\"operation\":\"" + operation
                + "\",\"status\":" + status + ",\"code\":\"" + code + "\",\"count\":" + count + "}]}");
    }

    @Override
    public void close() {
        clients.close();
    }
}
