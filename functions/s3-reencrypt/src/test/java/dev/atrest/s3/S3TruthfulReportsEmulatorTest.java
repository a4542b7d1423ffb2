package dev.atrest.s3;

import static dev.atrest.s3.S3Fixture.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import org.junit.jupiter.api.Test;

/**
 * Reports tell the truth: a HeadObject failure is named by its error code (a 400 is not an SSE-C object), a version
 * id "null" names the object written without versioning, and a multipart upload that could not be aborted is named
 * in the result and aborted by the next copy of the object.
 */
class S3TruthfulReportsEmulatorTest extends S3EmulatorTest {

    static String batch(String key, String versionId) {
        return "{\"invocationSchemaVersion\":\"2.0\",\"invocationId\":\"i\",\"tasks\":[{\"taskId\":\"t\",\"s3Bucket\":\""
                + BUCKET + "\",\"s3Key\":\"" + key + "\",\"s3VersionId\":" + (versionId == null ? "null"
                : "\"" + versionId + "\"") + "}]}";
    }

    @Test
    void aMalformedVersionIdIsNamedByItsErrorCodeNotTakenForAnSseCObject() {
        f.put("k", "x", ServerSideEncryption.AES256);
        f.emulator.clearRequests();

        JsonNode result = f.invoke(batch("k", "bad")).path("results").get(0);

        assertThat(result.path("resultCode").asText()).as(result.toString()).isEqualTo("PermanentFailure");
        assertThat(result.path("resultString").asText()).startsWith("FAILED")
                .contains("InvalidArgument").contains("Invalid version id").doesNotContain("SSE-C");
        assertThat(f.s3Operations()).containsExactly("HeadObject", "GetObjectTagging");
        assertThat(f.head("k").serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    }

    @Test
    void versionIdNullNamesTheObjectOfABucketWithoutVersions() {
        f.put("k", "x", ServerSideEncryption.AES256);

        JsonNode result = f.invoke(batch("k", "null")).path("results").get(0);

        assertThat(result.path("resultCode").asText()).as(result.toString()).isEqualTo("Succeeded");
        assertThat(result.path("resultString").asText()).startsWith("CHANGED UPDATE_ENCRYPTION");
        assertThat(f.head("k").ssekmsKeyId()).isEqualTo(f.keyArn);
    }

    @Test
    void aPinnedNullVersionThatIsNoLongerCurrentIsNeverCopiedOverTheNewerOne() {
        f.put("k", "written before versioning", null);
        f.versioned(BUCKET);
        f.put("k", "newer", null);

        JsonNode result = f.invoke(batch("k", "null")).path("results").get(0);

        assertThat(result.path("resultString").asText()).as(result.toString()).contains("no longer current");
        assertThat(f.content("k")).isEqualTo("newer");
        assertThat(f.s3.listObjectVersions(b -> b.bucket(BUCKET)).versions()).hasSize(2);
    }

    @Test
    void anUploadThatCouldNotBeAbortedIsReportedAndAbortedByTheNextCopy() {
        byte[] data = new byte[(int) ReencryptConfig.MIN_PART_BYTES + 100];
        f.s3.putObject(b -> b.bucket(BUCKET).key("big"), software.amazon.awssdk.core.sync.RequestBody.fromBytes(data));
        ReencryptConfig multipart = f.config().withMultipart(1024, ReencryptConfig.MIN_PART_BYTES);
        f.emulator.post("/_atrest/faults", "{\"rules\":["
                + "{\"service\":\"s3\",\"operation\":\"UploadPartCopy\",\"status\":500,\"count\":-1},"
                + "{\"service\":\"s3\",\"operation\":\"AbortMultipartUpload\",\"status\":500,\"count\":-1}]}");

        JsonNode first = f.invoke(multipart, batch("big", null)).path("results").get(0);

        f.clearFaults();
        var left = f.s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads();
        assertThat(left).hasSize(1);
        String uploadId = left.get(0).uploadId();
        assertThat(first.path("resultCode").asText()).as(first.toString()).isEqualTo("TemporaryFailure");
        assertThat(first.path("resultString").asText()).contains("multipart upload " + uploadId
                + " could not be aborted").contains("AbortIncompleteMultipartUpload");

        JsonNode second = f.invoke(multipart, S3Fixture.notification("big")).path("items").get(0);

        assertThat(second.path("outcome").asText()).as(second.toString()).isEqualTo("CHANGED");
        assertThat(second.path("details").path("abortedAbandonedUploads").get(0).asText()).isEqualTo(uploadId);
        assertThat(f.s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
        assertThat(f.head("big").ssekmsKeyId()).isEqualTo(f.keyArn);
    }
}
