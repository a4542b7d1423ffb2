package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.config.BucketScope;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * What the function acts on: the configured buckets only (skipped before any request otherwise), every bucket but the
 * opted-out ones (read once per bucket per container), its own writes recognised by its role's id, not by a session
 * name anyone can choose, and a deleted object reported as gone.
 */
class S3ScopeEmulatorTest extends S3EmulatorTest {

    @Test
    void anEventForABucketOutsideTheListCostsNoRequest() {
        f.s3.createBucket(b -> b.bucket("atrest-unlisted"));
        f.put("atrest-unlisted", "k", "x", ServerSideEncryption.AES256);
        f.emulator.clearRequests();

        JsonNode item = f.invoke(S3Fixture.notificationBy("AWS:AROAOTHER1234567890:alice", "atrest-unlisted", "k"))
                .path("items").get(0);

        assertThat(item.path("outcome").asText()).isEqualTo("SKIPPED");
        assertThat(item.path("reason").asText()).contains("not one of the configured buckets");
        assertThat(f.emulator.count("s3")).isZero();
    }

    @Test
    void everyBucketButTheOptedOutReadsEachBucketOncePerContainer() {
        f.s3.createBucket(b -> b.bucket("atrest-opted-out"));
        f.s3.putBucketTagging(b -> b.bucket("atrest-opted-out").tagging(t -> t.tagSet(s -> s.key("atrest:opt-out")
                .value("yes"))));
        f.put("atrest-opted-out", "k", "x", ServerSideEncryption.AES256);
        f.put("a", "x", ServerSideEncryption.AWS_KMS);
        f.put("b", "x", ServerSideEncryption.AWS_KMS);
        S3ReencryptHandler container = new S3ReencryptHandler(
                f.config().withScope(BucketScope.allButOptedOut("atrest:opt-out")), f.clients);
        f.emulator.clearRequests();

        JsonNode first = f.invoke(container, S3Fixture.notification("a"));
        JsonNode second = f.invoke(container, S3Fixture.notification("b"));
        JsonNode optedOut = f.invoke(container, S3Fixture.notificationBy("AWS:AROAOTHER1234567890:alice",
                "atrest-opted-out", "k"));

        assertThat(first.path("items").get(0).path("outcome").asText()).isEqualTo("COMPLIANT");
        assertThat(second.path("items").get(0).path("outcome").asText()).isEqualTo("COMPLIANT");
        assertThat(optedOut.path("items").get(0).path("outcome").asText()).isEqualTo("SKIPPED");
        assertThat(optedOut.path("items").get(0).path("reason").asText()).contains("opt-out tag");
        // The bucket's Region and tags once, then one HeadObject per compliant object; the opted-out bucket's once.
        assertThat(f.s3Operations()).isEqualTo(List.of("GetBucketLocation", "GetBucketTagging", "HeadObject",
                "HeadObject", "GetBucketLocation", "GetBucketTagging"));
        assertThat(f.s3.headObject(b -> b.bucket("atrest-opted-out").key("k")).serverSideEncryptionAsString())
                .isEqualTo("AES256");
    }

    @Test
    void aSessionNamedLikeTheFunctionButOfAnotherRoleIsNotTheFunction() {
        f.put("spoofed", "x", ServerSideEncryption.AES256);

        JsonNode item = f.invoke(S3Fixture.notificationBy("AWS:AROAOTHER1234567890:" + S3Fixture.FUNCTION,
                S3Fixture.BUCKET, "spoofed")).path("items").get(0);

        assertThat(item.path("outcome").asText()).isEqualTo("CHANGED");
        assertThat(f.head("spoofed").serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
    }
}
