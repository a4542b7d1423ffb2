package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * The race an ETag condition cannot see, made deterministic with the emulator's fault layer: the function's request
 * is held at the emulator while another writer changes only the object's metadata, content type, tags and storage
 * class (an in-place copy, which keeps the ETag), then released. The newest write must win: in a versioned bucket the
 * function restores it on top (encrypted); without versions it sees the change before it writes, or (in the window
 * S3 leaves there) reports what it cannot see.
 */
class S3CopyRaceEmulatorTest extends S3EmulatorTest {
    static final String KEY = "race/ledger.csv";
    static final String VERSIONED = "atrest-versioned";

    @AfterEach
    void releaseEverything() {
        f.clearFaults();
    }

    private String seed(String bucket, boolean multipart) {
        byte[] data = new byte[multipart ? (int) ReencryptConfig.MIN_PART_BYTES + 1000 : 1024];
        new java.util.Random(7).nextBytes(data);
        return f.s3.putObject(b -> b.bucket(bucket).key(KEY).contentType("text/plain").metadata(Map.of("rev", "1"))
                .tagging("rev=1").storageClass(StorageClass.STANDARD), RequestBody.fromBytes(data)).versionId();
    }

    /** Another writer's metadata-only write: same bytes, so the same ETag. */
    private String metadataOnlyWrite(String bucket, StorageClass storageClass) {
        return f.s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(KEY).destinationBucket(bucket).destinationKey(KEY)
                .metadataDirective(MetadataDirective.REPLACE).contentType("text/csv").metadata(Map.of("rev", "2"))
                .taggingDirective(TaggingDirective.REPLACE).tagging("rev=2").storageClass(storageClass)).versionId();
    }

    /** Runs the function on {@code bucket}/{@link #KEY} while {@code operation} is held, writes, releases. */
    private JsonNode raced(String bucket, boolean multipart, String operation, StorageClass storageClass,
                           String[] writtenVersion) throws Exception {
        ReencryptConfig config = multipart ? f.config().withMultipart(1024, ReencryptConfig.MIN_PART_BYTES)
                : f.config();
        f.hold(operation, KEY, "race");
        CompletableFuture<JsonNode> run = CompletableFuture.supplyAsync(() -> f.invoke(config,
                S3Fixture.notificationBy("AWS:AROAEXAMPLEROLEID:alice", bucket, KEY)));
        f.awaitHeld("race");
        writtenVersion[0] = metadataOnlyWrite(bucket, storageClass);
        f.release("race");
        return run.get(60, TimeUnit.SECONDS).path("items").get(0);
    }

    @ParameterizedTest(name = "versioned, multipart {0}")
    @ValueSource(booleans = {false, true})
    void inAVersionedBucketTheNewerWriteIsRestoredOnTopEncrypted(boolean multipart) throws Exception {
        f.s3.createBucket(b -> b.bucket(VERSIONED));
        f.versioned(VERSIONED);
        String read = seed(VERSIONED, multipart);
        String[] newer = new String[1];

        // CopyObject copies the current object, so hold it; a multipart copy's last step is CompleteMultipartUpload.
        JsonNode item = raced(VERSIONED, multipart, multipart ? "CompleteMultipartUpload" : "CopyObject",
                StorageClass.STANDARD_IA, newer);

        assertThat(item.path("outcome").asText()).as(item.toString()).isEqualTo("CHANGED");
        assertThat(item.path("reason").asText()).startsWith("changed since event: version " + newer[0])
                .contains("restored on top").endsWith("the restored version matches it");
        assertThat(item.path("details").path("interleavedVersionId").asText()).isEqualTo(newer[0]);
        ObjectSnapshot newest = ObjectSnapshot.of(f.s3, VERSIONED, KEY, newer[0]);
        assertThat(newest.metadata()).containsEntry("rev", "2");
        assertThat(newest.storageClass()).isEqualTo("STANDARD_IA");
        ObjectSnapshot current = ObjectSnapshot.current(f.s3, VERSIONED, KEY);
        assertThat(current.withoutVersion()).isEqualTo(newest.encrypted(f.keyArn).withoutVersion());
        List<String> versions = f.s3.listObjectVersions(b -> b.bucket(VERSIONED).prefix(KEY)).versions().stream()
                .map(ObjectVersion::versionId).toList();
        assertThat(versions).as("restored, ours, the newer write, the one read").hasSize(4)
                .containsSubsequence(item.path("details").path("restoredVersionId").asText(),
                        item.path("details").path("newVersionId").asText(), newer[0], read);
        assertThat(f.s3.listMultipartUploads(b -> b.bucket(VERSIONED)).uploads()).isEmpty();
    }

    @Test
    void withoutVersionsAMultipartCopySeesTheChangeBeforeItCompletesAndWritesNothing() throws Exception {
        seed(S3Fixture.BUCKET, true);
        String[] unused = new String[1];

        JsonNode item = raced(S3Fixture.BUCKET, true, "CreateMultipartUpload", StorageClass.STANDARD_IA, unused);

        ObjectSnapshot newest = ObjectSnapshot.current(f.s3, S3Fixture.BUCKET, KEY);
        assertThat(item.path("outcome").asText()).as(item.toString()).isEqualTo("SKIPPED");
        assertThat(item.path("reason").asText()).startsWith("changed since event: the object changed while it was "
                + "copied").contains("storage class").contains("user metadata changed").contains("tags changed");
        assertThat(newest.metadata()).containsEntry("rev", "2");
        assertThat(newest.tags()).containsEntry("rev", "2");
        assertThat(newest.storageClass()).isEqualTo("STANDARD_IA");
        assertThat(newest.sse()).as("left for its own event").isNull();
        assertThat(f.s3Operations()).contains("AbortMultipartUpload").doesNotContain("CompleteMultipartUpload");
        assertThat(f.s3.listMultipartUploads(b -> b.bucket(S3Fixture.BUCKET)).uploads()).isEmpty();
    }

    @Test
    void withoutVersionsACopySeesTheChangeRightBeforeItWrites() throws Exception {
        seed(S3Fixture.BUCKET, false);
        String[] unused = new String[1];

        // GetObjectAcl comes between the first read and the read right before the write.
        JsonNode item = raced(S3Fixture.BUCKET, false, "GetObjectAcl", StorageClass.STANDARD_IA, unused);

        assertThat(item.path("outcome").asText()).as(item.toString()).isEqualTo("SKIPPED");
        assertThat(item.path("reason").asText()).startsWith("changed since event: the object changed after it was "
                + "read").contains("storage class STANDARD -> STANDARD_IA");
        assertThat(f.s3Operations().stream().filter("CopyObject"::equals)).as("the other writer's only").hasSize(1);
        ObjectSnapshot newest = ObjectSnapshot.current(f.s3, S3Fixture.BUCKET, KEY);
        assertThat(newest.storageClass()).isEqualTo("STANDARD_IA");
        assertThat(newest.metadata()).containsEntry("rev", "2");
    }

    @Test
    void withoutVersionsAChangeInsideTheResidualWindowReachesTheCopyAndIsReported() throws Exception {
        seed(S3Fixture.BUCKET, false);
        String[] unused = new String[1];

        // Held after the last read: S3 offers nothing to see this write by. CopyObject copies metadata, content type
        // and tags from the object as it is at the write, so those of the newer write are kept.
        JsonNode item = raced(S3Fixture.BUCKET, false, "CopyObject", StorageClass.STANDARD, unused);

        assertThat(item.path("outcome").asText()).as(item.toString()).isEqualTo("SKIPPED");
        assertThat(item.path("reason").asText()).startsWith("changed since event: a write landed between our last "
                + "read and our copy").contains("residual window");
        ObjectSnapshot current = ObjectSnapshot.current(f.s3, S3Fixture.BUCKET, KEY);
        assertThat(current.metadata()).containsEntry("rev", "2");
        assertThat(current.contentType()).isEqualTo("text/csv");
        assertThat(current.tags()).containsEntry("rev", "2");
        assertThat(current.kmsKeyId()).isEqualTo(f.keyArn);
    }
}
