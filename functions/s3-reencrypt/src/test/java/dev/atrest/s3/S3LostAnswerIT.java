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
 * meets the function's own write. The end state must be the one a clean run gives, and the report must not claim
 * damage or a failure.
 */
class S3LostAnswerIT extends S3EmulatorTest {

    @ParameterizedTest(name = "{0} answer lost ({1})")
    @CsvSource({
            "UpdateObjectEncryption, AUTO, AES256",
            "CopyObject, AUTO, NONE",
            "CopyObject, COPY, AES256",
    })
    void aRetryThatMeetsItsOwnCommittedWriteEndsEncryptedWithNothingLost(String operation, ReencryptMethod method,
                                                                          String sse) {
        String key = "lost/" + operation + "-" + method;
        f.s3.putObject(b -> b.bucket(S3Fixture.BUCKET).key(key).contentType("text/csv")
                        .metadata(Map.of("owner", "finance"))
                        .serverSideEncryption("NONE".equals(sse) ? null : ServerSideEncryption.fromValue(sse)),
                RequestBody.fromString("a,b\n1,2\n"));
        f.emulator.post("/_atrest/faults", "{\"rules\":[{\"service\":\"s3\",\"operation\":\"" + operation
                + "\",\"count\":1,\"drop\":\"after\"}]}");

        JsonNode item = f.invoke(f.config().withMethod(method), S3Fixture.notification(key)).path("items").get(0);

        assertThat(f.emulator.requests()).as("the answer of one %s was lost", operation)
                .anyMatch(r -> operation.equals(r.get("operation")) && "after".equals(r.get("dropped")));
        assertThat(item.path("outcome").asText()).as(item.toString()).isIn("CHANGED", "SKIPPED");
        var head = f.head(key);
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).isEqualTo(f.keyArn);
        assertThat(head.contentType()).isEqualTo("text/csv");
        assertThat(head.metadata()).containsEntry("owner", "finance");
        assertThat(f.content(key)).isEqualTo("a,b\n1,2\n");
    }
}
