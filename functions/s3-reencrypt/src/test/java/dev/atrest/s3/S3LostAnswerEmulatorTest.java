package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * A write S3 committed whose answer was lost (the connection dropped after the request was served): the SDK's retry
 * meets the function's own write. The end state must be the one a clean run gives, and the report must say the
 * write is ours: CHANGED and verified, never "overwritten by a newer write", never a failure.
 */
class S3LostAnswerEmulatorTest extends S3EmulatorTest {

    @ParameterizedTest(name = "{0} answer lost ({1}, versioned {3})")
    @CsvSource({
            "UpdateObjectEncryption, AUTO, AES256, false",
            "CopyObject, AUTO, NONE, false",
            "CopyObject, COPY, AES256, false",
            "CopyObject, COPY, AES256, true",
            "CompleteMultipartUpload, AUTO, NONE, false",
            "CompleteMultipartUpload, COPY, AES256, true",
    })
    void aRetryThatMeetsItsOwnCommittedWriteIsReportedAsOurWrite(String operation, ReencryptMethod method, String sse,
                                                                 boolean versioned) {
        if (versioned) {
            f.versioned(S3Fixture.BUCKET);
        }
        boolean multipart = "CompleteMultipartUpload".equals(operation);
        String key = "lost/" + operation + "-" + method + "-" + versioned;
        byte[] data = new byte[multipart ? (int) ReencryptConfig.MIN_PART_BYTES + 1000 : 8];
        new java.util.Random(3).nextBytes(data);
        f.s3.putObject(b -> b.bucket(S3Fixture.BUCKET).key(key).contentType("text/csv")
                        .metadata(Map.of("owner", "finance")).tagging("team=ledger")
                        .serverSideEncryption("NONE".equals(sse) ? null : ServerSideEncryption.fromValue(sse)),
                RequestBody.fromBytes(data));
        ObjectSnapshot before = ObjectSnapshot.current(f.s3, S3Fixture.BUCKET, key);
        f.emulator.post("/_atrest/faults", "{\"rules\":[{\"service\":\"s3\",\"operation\":\"" + operation
                + "\",\"count\":1,\"drop\":\"after\"}]}");
        ReencryptConfig config = f.config().withMethod(method);
        if (multipart) {
            config = config.withMultipart(1024, ReencryptConfig.MIN_PART_BYTES);
        }

        JsonNode item = f.invoke(config, S3Fixture.notification(key)).path("items").get(0);

        assertThat(f.emulator.requests()).as("the answer of one %s was lost", operation)
                .anyMatch(r -> operation.equals(r.get("operation")) && "after".equals(r.get("dropped")));
        assertThat(item.path("outcome").asText()).as(item.toString()).isEqualTo("CHANGED");
        assertThat(item.path("reason").asText()).endsWith("verified");
        if (multipart) {
            // The retry met If-Match on the object we had just written: 412, and the upload no longer exists.
            assertThat(item.path("details").path("lostAnswer").asText()).startsWith("CompleteMultipartUpload went "
                    + "through but its answer was lost");
        }
        assertThat(ObjectSnapshot.current(f.s3, S3Fixture.BUCKET, key).withoutVersion())
                .isEqualTo(before.encrypted(f.keyArn).withoutVersion());
        assertThat(f.s3.listMultipartUploads(b -> b.bucket(S3Fixture.BUCKET)).uploads()).isEmpty();
    }
}
