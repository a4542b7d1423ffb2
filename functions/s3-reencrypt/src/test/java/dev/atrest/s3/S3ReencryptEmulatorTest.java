package dev.atrest.s3;

import static dev.atrest.s3.S3Fixture.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.MalformedEventException;
import dev.atrest.core.lambda.RetryableFailureException;
import dev.atrest.core.summary.ItemResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kms.KmsClient;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.Tag;

/** The function against the emulator over HTTP: every S3-facing path, with the S3 requests each costs counted. */
class S3ReencryptEmulatorTest extends S3EmulatorTest {
    /**
     * An in-place CopyObject in a bucket without versions: the object, its ACL, the object again right before the
     * write (a write that keeps the ETag cannot be seen after it there), the copy, the verification.
     */
    static final List<String> UNVERSIONED_COPY = List.of("HeadObject", "GetObjectAcl", "HeadObject", "CopyObject",
            "HeadObject");
    private static JsonNode onlyItem(JsonNode summary) {
        assertThat(summary.path("items")).hasSize(1);
        return summary.path("items").get(0);
    }

    @Test
    void anAlreadyCompliantObjectCostsExactlyOneHeadObject() {
        f.put("ok.txt", "data", ServerSideEncryption.AWS_KMS);
        f.emulator.clearRequests();

        JsonNode item = onlyItem(f.invoke(S3Fixture.notification("ok.txt")));

        assertThat(item.path("outcome").asText()).isEqualTo("COMPLIANT");
        assertThat(f.s3Operations()).containsExactly("HeadObject");
        assertThat(f.emulator.count("kms")).isZero();
    }

    @Test
    void anObjectUnderAnAllowListedKeyIsCompliant() {
        f.s3.putObject(b -> b.bucket(BUCKET).key("k").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(f.otherKeyArn), RequestBody.fromString("x"));
        ReencryptConfig allowing = S3Fixture.config(f.keyArn, Set.of(f.otherKeyArn), true, 4);
        f.emulator.clearRequests();

        assertThat(onlyItem(f.invoke(allowing, S3Fixture.notification("k"))).path("outcome").asText())
                .isEqualTo("COMPLIANT");
        assertThat(f.s3Operations()).containsExactly("HeadObject");
    }

    @Test
    void anEventCausedByTheFunctionItselfCostsNoS3Call() {
        f.put("mine.txt", "data", ServerSideEncryption.AES256);
        f.emulator.clearRequests();

        JsonNode item = onlyItem(f.invoke(S3Fixture.notificationBy(S3Fixture.OWN_PRINCIPAL, BUCKET, "mine.txt")));

        assertThat(item.path("outcome").asText()).isEqualTo("SKIPPED");
        assertThat(item.path("action").asText()).isEqualTo("IGNORE_EVENT");
        assertThat(f.emulator.count("s3")).isZero();
    }

    @Test
    void sseS3IsUpdatedInPlaceWithoutMovingData() {
        f.s3.putObject(b -> b.bucket(BUCKET).key("doc.txt").serverSideEncryption(ServerSideEncryption.AES256)
                .storageClass(StorageClass.STANDARD_IA).contentType("text/plain").metadata(Map.of("owner", "alice"))
                .tagging("team=blue").checksumAlgorithm(ChecksumAlgorithm.SHA256), RequestBody.fromString("payload"));
        HeadObjectResponse before = f.head("doc.txt");
        f.emulator.clearRequests();

        JsonNode item = onlyItem(f.invoke(S3Fixture.notification("doc.txt")));

        assertThat(item.path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(item.path("details").path("method").asText()).isEqualTo("UpdateObjectEncryption");
        assertThat(item.path("details").path("before").asText()).isEqualTo("SSE_S3");
        assertThat(item.path("details").path("after").asText()).contains(f.keyArn);
        assertThat(f.s3Operations()).containsExactly("HeadObject", "UpdateObjectEncryption", "HeadObject");
        HeadObjectResponse after = f.head("doc.txt");
        assertThat(after.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(after.ssekmsKeyId()).isEqualTo(f.keyArn);
        assertThat(after.bucketKeyEnabled()).isTrue();
        assertThat(after.eTag()).isEqualTo(before.eTag());
        assertThat(after.lastModified()).isEqualTo(before.lastModified());
        assertThat(after.storageClass()).isEqualTo(StorageClass.STANDARD_IA);
        assertThat(after.metadata()).isEqualTo(Map.of("owner", "alice"));
        assertThat(after.checksumSHA256()).isNotNull().isEqualTo(before.checksumSHA256());
        assertThat(f.content("doc.txt")).isEqualTo("payload");
        assertThat(f.s3.getObjectTagging(b -> b.bucket(BUCKET).key("doc.txt")).tagSet())
                .containsExactly(Tag.builder().key("team").value("blue").build());
    }

    @Test
    void anSseKmsObjectUnderAnotherKeyMovesToTheTargetKey() {
        f.s3.putObject(b -> b.bucket(BUCKET).key("k").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(f.otherKeyArn), RequestBody.fromString("x"));
        f.invoke(S3Fixture.notification("k"));
        assertThat(f.head("k").ssekmsKeyId()).isEqualTo(f.keyArn);
    }

    @Test
    void keysWithSpacesPlusUnicodeAndSlashesAndEmptyObjectsInOneEvent() {
        List<String> keys = List.of("a b+c.txt", "dir/sub dir/日本語 ü.bin", "plus+only", "100% done", "empty");
        for (String key : keys) {
            f.put(key, key.equals("empty") ? "" : "content of " + key, ServerSideEncryption.AES256);
        }
        f.put("empty unencrypted", "", null);

        JsonNode summary = f.invoke(S3Fixture.notification(keys.get(0), keys.get(1), keys.get(2), keys.get(3),
                keys.get(4), "empty unencrypted"));

        assertThat(summary.path("counts").path("CHANGED").asInt()).as(summary.toString()).isEqualTo(6);
        for (String key : keys) {
            assertThat(f.head(key).ssekmsKeyId()).as(key).isEqualTo(f.keyArn);
            assertThat(f.content(key)).isEqualTo(key.equals("empty") ? "" : "content of " + key);
        }
        HeadObjectResponse empty = f.head("empty unencrypted");
        assertThat(empty.ssekmsKeyId()).isEqualTo(f.keyArn);
        assertThat(empty.contentLength()).isZero();
    }

    @Test
    void anUnencryptedObjectIsCopiedInPlaceKeepingEveryProperty() {
        Instant expires = Instant.parse("2030-01-01T00:00:00Z");
        f.s3.putObject(b -> b.bucket(BUCKET).key("legacy.csv").storageClass(StorageClass.STANDARD_IA)
                .contentType("text/csv").contentEncoding("gzip").contentLanguage("fr")
                .contentDisposition("attachment; filename=\"l.csv\"").cacheControl("max-age=60").expires(expires)
                .metadata(Map.of("owner", "bob", "project", "x")).tagging("a=1&b=two")
                .websiteRedirectLocation("/elsewhere").checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromString("id,value\n1,2\n"));
        HeadObjectResponse before = f.head("legacy.csv");
        assertThat(before.serverSideEncryption()).isNull();
        f.emulator.clearRequests();

        JsonNode item = onlyItem(f.invoke(S3Fixture.notification("legacy.csv")));

        assertThat(item.path("outcome").asText()).as(item.toString()).isEqualTo("CHANGED");
        assertThat(item.path("details").path("method").asText()).isEqualTo("CopyObject");
        assertThat(f.s3Operations()).isEqualTo(UNVERSIONED_COPY);
        HeadObjectResponse after = f.head("legacy.csv");
        assertThat(after.ssekmsKeyId()).isEqualTo(f.keyArn);
        assertThat(after.bucketKeyEnabled()).isTrue();
        assertThat(after.storageClass()).isEqualTo(StorageClass.STANDARD_IA);
        assertThat(after.contentType()).isEqualTo("text/csv");
        assertThat(after.contentEncoding()).isEqualTo("gzip");
        assertThat(after.contentLanguage()).isEqualTo("fr");
        assertThat(after.contentDisposition()).isEqualTo("attachment; filename=\"l.csv\"");
        assertThat(after.cacheControl()).isEqualTo("max-age=60");
        assertThat(after.expires()).isEqualTo(expires);
        assertThat(after.metadata()).isEqualTo(Map.of("owner", "bob", "project", "x"));
        assertThat(after.websiteRedirectLocation()).isEqualTo("/elsewhere");
        assertThat(after.checksumCRC32()).isNotNull().isEqualTo(before.checksumCRC32());
        assertThat(after.contentLength()).isEqualTo(before.contentLength());
        assertThat(f.s3.getObjectTagging(b -> b.bucket(BUCKET).key("legacy.csv")).tagSet())
                .containsExactlyInAnyOrder(Tag.builder().key("a").value("1").build(),
                        Tag.builder().key("b").value("two").build());
        assertThat(f.content("legacy.csv")).isEqualTo("id,value\n1,2\n");
    }

    @ParameterizedTest(name = "verify after write: {0}")
    @ValueSource(booleans = {true, false})
    void verificationCostsExactlyOneHeadObjectPerWrite(boolean verify) {
        f.put("sse", "x", ServerSideEncryption.AES256);
        f.put("plain", "y", null);
        ReencryptConfig config = S3Fixture.config(f.keyArn, Set.of(), verify, 1);
        List<String> extra = verify ? List.of("HeadObject") : List.of();

        f.emulator.clearRequests();
        f.invoke(config, S3Fixture.notification("sse"));
        assertThat(f.s3Operations()).isEqualTo(Stream.concat(Stream.of("HeadObject", "UpdateObjectEncryption"),
                extra.stream()).toList());

        f.emulator.clearRequests();
        f.invoke(config, S3Fixture.notification("plain"));
        assertThat(f.s3Operations()).isEqualTo(Stream.concat(Stream.of("HeadObject", "GetObjectAcl", "HeadObject",
                "CopyObject"), extra.stream()).toList());
        assertThat(f.head("sse").ssekmsKeyId()).isEqualTo(f.keyArn);
        assertThat(f.head("plain").ssekmsKeyId()).isEqualTo(f.keyArn);
    }

    @Test
    void autoFallsBackToCopyWhereS3SaysUpdateDoesNotApply() {
        f.put("k", "x", ServerSideEncryption.AES256);
        f.fault("UpdateObjectEncryption", 400, "InvalidRequest", 1);
        f.emulator.clearRequests();

        JsonNode item = onlyItem(f.invoke(S3Fixture.notification("k")));

        assertThat(item.path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(item.path("details").path("method").asText()).isEqualTo("CopyObject");
        assertThat(f.s3Operations()).containsExactly("HeadObject", "UpdateObjectEncryption", "GetObjectAcl",
                "HeadObject", "CopyObject", "HeadObject");
        assertThat(f.head("k").ssekmsKeyId()).isEqualTo(f.keyArn);
    }

    @Test
    void accessDeniedIsReportedNotWorkedAroundWithACopy() {
        f.put("k", "x", ServerSideEncryption.AES256);
        f.fault("UpdateObjectEncryption", 403, "AccessDenied", 1);
        f.emulator.clearRequests();

        JsonNode item = onlyItem(f.invoke(S3Fixture.notification("k")));

        assertThat(item.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(item.path("reason").asText()).contains("AccessDenied");
        assertThat(f.s3Operations()).containsExactly("HeadObject", "UpdateObjectEncryption");
        assertThat(f.head("k").serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    }

    @Test
    void updateModeNeverCopies() {
        f.put("plain", "x", null);
        f.emulator.clearRequests();
        JsonNode item = onlyItem(f.invoke(f.config().withMethod(ReencryptMethod.UPDATE),
                S3Fixture.notification("plain")));
        assertThat(item.path("outcome").asText()).isEqualTo("SKIPPED");
        assertThat(f.s3Operations()).containsExactly("HeadObject");
    }

    @Test
    void copyModeCopiesSseS3Objects() {
        f.put("k", "x", ServerSideEncryption.AES256);
        f.emulator.clearRequests();
        JsonNode item = onlyItem(f.invoke(f.config().withMethod(ReencryptMethod.COPY), S3Fixture.notification("k")));
        assertThat(item.path("details").path("method").asText()).isEqualTo("CopyObject");
        assertThat(f.s3Operations()).isEqualTo(UNVERSIONED_COPY);
    }

    @Test
    void anObjectOverwrittenBetweenReadAndCopyKeepsTheNewerContent() {
        f.put("race", "old", null);
        // A concurrent writer: the object changes right after the function has read it.
        S3Gateway racing = new S3Gateway(f.s3, S3Fixture.ACCOUNT) {
            private boolean written;

            @Override
            public HeadResult head(String bucket, String key, String versionId) {
                HeadResult r = super.head(bucket, key, versionId);
                if (!written) {
                    written = true;
                    f.put("race", "newer", null);
                }
                return r;
            }
        };
        ReencryptService service = new ReencryptService(f.config(), racing, "us-east-1");

        ItemResult result = service.process(List.of(new ObjectTask("Records[0]", BUCKET, "race", null, null, null)))
                .get(0);

        assertThat(result.outcome()).isEqualTo(ItemResult.Outcome.SKIPPED);
        assertThat(result.reason()).contains("changed since event");
        assertThat(f.content("race")).isEqualTo("newer");
    }

    @Test
    void multipartCopyWithASmallThresholdKeepsPropertiesAndContent() {
        byte[] data = new byte[(int) ReencryptConfig.MIN_PART_BYTES + 1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Instant expires = Instant.parse("2031-06-01T00:00:00Z");
        f.s3.putObject(b -> b.bucket(BUCKET).key("big/object.bin").storageClass(StorageClass.STANDARD_IA)
                .contentType("application/x-thing").contentEncoding("identity").contentLanguage("de")
                .contentDisposition("inline").cacheControl("no-cache").expires(expires)
                .metadata(Map.of("owner", "carol")).tagging("k=v w&x=y").websiteRedirectLocation("/big")
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(data));
        HeadObjectResponse before = f.head("big/object.bin");
        f.emulator.clearRequests();

        JsonNode item = onlyItem(f.invoke(f.config().withMultipart(1024, ReencryptConfig.MIN_PART_BYTES),
                S3Fixture.notification("big/object.bin")));

        assertThat(item.path("outcome").asText()).as(item.toString()).isEqualTo("CHANGED");
        assertThat(item.path("details").path("method").asText()).isEqualTo("UploadPartCopy");
        // The tags are read, read again right before CompleteMultipartUpload with the object, and verified.
        assertThat(f.s3Operations()).containsExactly("HeadObject", "GetObjectAcl", "GetObjectTagging",
                "CreateMultipartUpload", "ListMultipartUploads", "UploadPartCopy", "UploadPartCopy", "HeadObject",
                "GetObjectTagging", "CompleteMultipartUpload", "HeadObject", "GetObjectTagging");
        HeadObjectResponse after = f.head("big/object.bin");
        assertThat(after.ssekmsKeyId()).isEqualTo(f.keyArn);
        assertThat(after.bucketKeyEnabled()).isTrue();
        assertThat(after.contentLength()).isEqualTo(before.contentLength());
        assertThat(after.storageClass()).isEqualTo(StorageClass.STANDARD_IA);
        assertThat(after.contentType()).isEqualTo("application/x-thing");
        assertThat(after.contentEncoding()).isEqualTo("identity");
        assertThat(after.contentLanguage()).isEqualTo("de");
        assertThat(after.contentDisposition()).isEqualTo("inline");
        assertThat(after.cacheControl()).isEqualTo("no-cache");
        assertThat(after.expires()).isEqualTo(expires);
        assertThat(after.metadata()).isEqualTo(Map.of("owner", "carol"));
        assertThat(after.websiteRedirectLocation()).isEqualTo("/big");
        assertThat(after.checksumCRC32()).isNotNull().isEqualTo(before.checksumCRC32());
        assertThat(f.s3.getObjectTagging(b -> b.bucket(BUCKET).key("big/object.bin")).tagSet())
                .containsExactlyInAnyOrder(Tag.builder().key("k").value("v w").build(),
                        Tag.builder().key("x").value("y").build());
        assertThat(f.s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("big/object.bin")).asByteArray()).isEqualTo(data);
    }

    @Test
    void aFailedMultipartCopyIsAbortedAndLeavesTheObjectAlone() {
        f.put("part.bin", "x".repeat(2048), null);
        f.fault("UploadPartCopy", 500, "InternalError", -1);

        assertThatThrownBy(() -> f.invoke(f.config().withMultipart(1024, ReencryptConfig.MIN_PART_BYTES),
                S3Fixture.notification("part.bin")))
                .isInstanceOf(RetryableFailureException.class);

        f.emulator.post("/_atrest/faults", "{\"rules\":[]}");
        assertThat(f.emulator.count("s3", "AbortMultipartUpload")).isEqualTo(1);
        assertThat(f.s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
        assertThat(f.head("part.bin").serverSideEncryption()).isNull();
        assertThat(f.content("part.bin")).isEqualTo("x".repeat(2048));
    }

    @Test
    void inAVersionedBucketTheNewestVersionIsReencryptedAndHistoryIsUntouched() {
        f.versioned(BUCKET);
        String v1 = f.put("v.txt", "one", ServerSideEncryption.AES256);
        String v2 = f.put("v.txt", "two", ServerSideEncryption.AES256);
        String u1 = f.put("u.txt", "old", null);
        String u2 = f.put("u.txt", "new", null);

        JsonNode summary = f.invoke(S3Fixture.notification("v.txt", "u.txt"));

        assertThat(summary.path("counts").path("CHANGED").asInt()).as(summary.toString()).isEqualTo(2);
        assertThat(f.s3.headObject(b -> b.bucket(BUCKET).key("v.txt").versionId(v2)).ssekmsKeyId())
                .isEqualTo(f.keyArn);
        assertThat(f.s3.headObject(b -> b.bucket(BUCKET).key("v.txt").versionId(v1)).serverSideEncryption())
                .isEqualTo(ServerSideEncryption.AES256);
        assertThat(f.s3.listObjectVersions(b -> b.bucket(BUCKET).prefix("v.txt")).versions()).hasSize(2);
        // The copy makes a new current version from the newest content; the older ones stay as they were.
        assertThat(f.content("u.txt")).isEqualTo("new");
        assertThat(f.head("u.txt").ssekmsKeyId()).isEqualTo(f.keyArn);
        for (String v : List.of(u1, u2)) {
            assertThat(f.s3.headObject(b -> b.bucket(BUCKET).key("u.txt").versionId(v)).serverSideEncryption())
                    .isNull();
        }
    }

    @Test
    void archivedObjectsAreUpdatedWithoutRestoreOrSkippedWhenTheyWouldNeedACopy() {
        f.s3.putObject(b -> b.bucket(BUCKET).key("cold").serverSideEncryption(ServerSideEncryption.AES256)
                .storageClass(StorageClass.DEEP_ARCHIVE), RequestBody.fromString("c"));
        f.s3.putObject(b -> b.bucket(BUCKET).key("cold plain").storageClass(StorageClass.GLACIER),
                RequestBody.fromString("c"));
        f.emulator.clearRequests();

        JsonNode summary = f.invoke(S3Fixture.notification("cold", "cold plain"));

        JsonNode items = summary.path("items");
        assertThat(items.get(0).path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(items.get(1).path("outcome").asText()).isEqualTo("SKIPPED");
        assertThat(items.get(1).path("reason").asText()).contains("restore");
        HeadObjectResponse cold = f.head("cold");
        assertThat(cold.storageClass()).isEqualTo(StorageClass.DEEP_ARCHIVE);
        assertThat(cold.ssekmsKeyId()).isEqualTo(f.keyArn);
        assertThat(cold.restore()).isNull();
        assertThat(f.s3Operations()).doesNotContain("RestoreObject", "CopyObject");
    }

    @Test
    void sseCAndDsseObjectsAreSkippedWithoutAWrite() {
        String customerKey = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String customerKeyMd5 = software.amazon.awssdk.utils.Md5Utils.md5AsBase64(new byte[32]);
        f.s3.putObject(b -> b.bucket(BUCKET).key("ssec").sseCustomerAlgorithm("AES256").sseCustomerKey(customerKey)
                .sseCustomerKeyMD5(customerKeyMd5), RequestBody.fromString("secret"));
        f.s3.putObject(b -> b.bucket(BUCKET).key("dsse").serverSideEncryption(ServerSideEncryption.AWS_KMS_DSSE)
                .ssekmsKeyId(f.otherKeyArn), RequestBody.fromString("double"));
        f.emulator.clearRequests();

        JsonNode summary = f.invoke(S3Fixture.notification("ssec", "dsse"));

        assertThat(summary.path("items").get(0).path("reason").asText()).contains("SSE-C");
        assertThat(summary.path("items").get(1).path("reason").asText()).contains("DSSE-KMS");
        assertThat(summary.path("counts").path("SKIPPED").asInt()).isEqualTo(2);
        // HEAD answers an SSE-C object with a bare 400: its tags (readable without the key) confirm it exists.
        assertThat(f.s3Operations()).containsExactlyInAnyOrder("HeadObject", "GetObjectTagging", "HeadObject");
        assertThat(f.head("dsse").serverSideEncryptionAsString()).isEqualTo("aws:kms:dsse");
    }

    @Test
    void dryRunReadsButChangesNothing() {
        f.put("s", "x", ServerSideEncryption.AES256);
        f.put("p", "y", null);
        f.emulator.clearRequests();

        JsonNode summary = f.invoke(f.config().withDryRun(true), S3Fixture.notification("s", "p"));

        assertThat(summary.path("dryRun").asBoolean()).isTrue();
        assertThat(summary.path("counts").path("CHANGED").asInt()).isEqualTo(2);
        assertThat(summary.path("items").get(0).path("reason").asText()).startsWith("dry run");
        assertThat(f.s3Operations()).containsExactly("HeadObject", "HeadObject");
        assertThat(f.head("s").serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(f.head("p").serverSideEncryption()).isNull();
    }

    @Test
    void duplicateRecordsInOneEventCostOneLook() {
        f.put("dup", "x", ServerSideEncryption.AWS_KMS);
        f.emulator.clearRequests();
        JsonNode summary = f.invoke(S3Fixture.notification("dup", "dup"));
        assertThat(summary.path("items").get(1).path("reason").asText()).contains("duplicate of Records[0]");
        assertThat(f.s3Operations()).containsExactly("HeadObject");
    }

    @Test
    void aMalformedRecordIsReportedAndTheOthersAreProcessed() {
        f.put("good", "x", ServerSideEncryption.AES256);
        String event = "{\"Records\":[{\"eventSource\":\"aws:s3\",\"s3\":{\"bucket\":{\"name\":\"" + BUCKET
                + "\"},\"object\":{\"key\":42}}}," + S3Fixture.notification("good").substring(12);

        JsonNode summary = f.invoke(event);

        assertThat(summary.path("items").get(0).path("outcome").asText()).isEqualTo("FAILED");
        assertThat(summary.path("items").get(0).path("action").asText()).isEqualTo("REJECT_RECORD");
        assertThat(summary.path("items").get(1).path("outcome").asText()).isEqualTo("CHANGED");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "",
        "not json",
        "[]",
        "{}",
        "{\"Records\":[]}",
        "{\"Records\":\"atrest-it/k\"}",
        "{\"detail-type\":\"Object Created\",\"source\":\"aws.s3\"}",
        "{\"invocationSchemaVersion\":\"2.0\",\"invocationId\":\"i\",\"tasks\":[{\"s3Bucket\":\"atrest-it\"}]}",
        "{\"Records\":[]}{\"Records\":[]}",
    })
    void malformedEventsFailClearlyWithoutTouchingAnyObject(String event) {
        f.put("k", "x", ServerSideEncryption.AES256);
        f.emulator.clearRequests();

        assertThatThrownBy(() -> f.invoke(event)).isInstanceOf(MalformedEventException.class).hasMessageNotContaining(
                "Exception");
        assertThat(f.emulator.count("s3")).isZero();
    }

    @Test
    void batchOperationsGetOneResultPerTaskInTheShapeS3Expects() {
        f.put("backfill/a b.bin", "a", ServerSideEncryption.AES256);
        f.put("backfill/plain", "b", null);
        f.put("backfill/done", "c", ServerSideEncryption.AWS_KMS);
        String event = """
                {"invocationSchemaVersion":"2.0","invocationId":"inv-1","job":{"id":"job-1","userArguments":{}},
                 "tasks":[
                  {"taskId":"t1","s3Bucket":"%1$s","s3Key":"backfill/a%%20b.bin","s3VersionId":null},
                  {"taskId":"t2","s3Bucket":"%1$s","s3Key":"backfill/plain"},
                  {"taskId":"t3","s3Bucket":"%1$s","s3Key":"backfill/done"},
                  {"taskId":"t4","s3Bucket":"%1$s","s3Key":"backfill/gone"},
                  {"taskId":"t5","s3Bucket":"%1$s"}
                 ]}""".formatted(BUCKET);

        JsonNode response = f.invoke(event);

        assertThat(response.path("invocationSchemaVersion").asText()).isEqualTo("2.0");
        assertThat(response.path("invocationId").asText()).isEqualTo("inv-1");
        assertThat(response.path("treatMissingKeysAs").asText()).isEqualTo("TemporaryFailure");
        JsonNode results = response.path("results");
        assertThat(results).hasSize(5);
        assertThat(results.findValuesAsText("taskId")).containsExactly("t1", "t2", "t3", "t4", "t5");
        assertThat(results.findValuesAsText("resultCode")).containsExactly("Succeeded", "Succeeded", "Succeeded",
                "Succeeded", "PermanentFailure");
        assertThat(results.get(0).path("resultString").asText()).startsWith("CHANGED UPDATE_ENCRYPTION");
        assertThat(results.get(1).path("resultString").asText()).startsWith("CHANGED COPY");
        assertThat(results.get(2).path("resultString").asText()).startsWith("COMPLIANT");
        assertThat(results.get(3).path("resultString").asText()).contains("no longer exists");
        assertThat(f.head("backfill/a b.bin").ssekmsKeyId()).isEqualTo(f.keyArn);
        assertThat(f.head("backfill/plain").ssekmsKeyId()).isEqualTo(f.keyArn);
    }

    @Test
    void batchOperationsReportATemporaryFailureForWhatARetryMayFix() {
        f.put("k", "x", ServerSideEncryption.AES256);
        f.fault("HeadObject", 503, "SlowDown", -1);
        String event = "{\"invocationSchemaVersion\":\"2.0\",\"invocationId\":\"i\",\"tasks\":[{\"taskId\":\"t\","
                + "\"s3Bucket\":\"" + BUCKET + "\",\"s3Key\":\"k\"}]}";

        JsonNode response = f.invoke(event);

        assertThat(response.path("results").get(0).path("resultCode").asText()).isEqualTo("TemporaryFailure");
    }

    @Test
    void aBatchTaskPinningAnOldVersionIsNeverCopiedOverTheCurrentOne() {
        f.versioned(BUCKET);
        String old = f.put("k", "old", null);
        f.put("k", "current", null);
        String event = "{\"invocationSchemaVersion\":\"2.0\",\"invocationId\":\"i\",\"tasks\":[{\"taskId\":\"t\","
                + "\"s3Bucket\":\"" + BUCKET + "\",\"s3Key\":\"k\",\"s3VersionId\":\"" + old + "\"}]}";

        JsonNode response = f.invoke(event);

        assertThat(response.path("results").get(0).path("resultString").asText()).contains("no longer current");
        assertThat(f.content("k")).isEqualTo("current");
        assertThat(f.s3.listObjectVersions(b -> b.bucket(BUCKET)).versions()).hasSize(2);
    }

    @Test
    void retryableFailuresFailTheInvocationAfterEveryRecordWasTried() {
        f.put("k", "x", ServerSideEncryption.AES256);
        f.fault("UpdateObjectEncryption", 500, "InternalError", -1);

        assertThatThrownBy(() -> f.invoke(S3Fixture.notification("k")))
                .isInstanceOf(RetryableFailureException.class)
                .hasMessageContaining("1 item(s)");
        assertThat(f.head("k").serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    }

    static dev.atrest.core.config.ConfigLoader env(String target) {
        return new dev.atrest.core.config.ConfigLoader(Map.of("TARGET_KMS_KEY_ARN", target,
                "BUCKET_NAMES", BUCKET, "ACCOUNT_ID", S3Fixture.ACCOUNT, "FUNCTION_ROLE_ID", S3Fixture.ROLE_ID,
                "AWS_REGION", "us-east-1"));
    }

    @Test
    void anAliasIsResolvedToItsKeyArnAtInitWithOneDescribeKey() {
        f.kms.createAlias(b -> b.aliasName("alias/atrest-it").targetKeyId(f.keyArn));
        f.emulator.clearRequests();

        ReencryptConfig config = ReencryptConfig.load(env("arn:aws:kms:us-east-1:123456789012:alias/atrest-it"),
                new KmsKeys(f.kms)::describe);

        assertThat(config.targetKeyArn()).isEqualTo(f.keyArn);
        assertThat(f.emulator.count("kms", "DescribeKey")).isEqualTo(1);
    }

    /** Each key KMS would take but S3 could not use (or not for this account) fails init, naming the reason. */
    @Test
    void aTargetKeyThatCannotServeFailsInitNamingTheVariableAndTheReason() {
        var disabledKey = f.kms.createKey(b -> b.description("disabled")).keyMetadata();
        String disabled = disabledKey.arn();
        f.kms.disableKey(b -> b.keyId(disabledKey.keyId()));
        String asymmetric = f.kms.createKey(b -> b.keySpec("RSA_2048").keyUsage("ENCRYPT_DECRYPT")).keyMetadata()
                .arn();
        var pendingKey = f.kms.createKey(b -> b.description("deleted")).keyMetadata();
        String pending = pendingKey.arn();
        f.kms.scheduleKeyDeletion(b -> b.keyId(pendingKey.keyId()).pendingWindowInDays(7));
        String elsewhere;
        try (KmsClient west = f.clients.client("kms", software.amazon.awssdk.regions.Region.US_WEST_2,
                KmsClient::builder)) {
            elsewhere = west.createKey(b -> b.description("other region")).keyMetadata().arn();
        }
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("arn:aws:kms:us-east-1:123456789012:alias/aws/s3", "managed by AWS");
        refusals.put(disabled, "is Disabled");
        refusals.put(asymmetric, "key spec RSA_2048");
        refusals.put(pending, "is PendingDeletion");
        refusals.put("arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000",
                "could not be described");
        refusals.put(elsewhere.replace("us-west-2", "us-east-1"), "could not be described");
        refusals.put("arn:aws:kms:us-east-1:123456789012:alias/none", "could not be described");
        refusals.forEach((target, because) -> assertThatThrownBy(() -> ReencryptConfig.load(env(target),
                new KmsKeys(f.kms)::describe))
                .as(target).isInstanceOf(dev.atrest.core.config.ConfigException.class)
                .hasMessageContaining("TARGET_KMS_KEY_ARN='" + target + "'")
                .hasMessageContaining(because));
    }
}
