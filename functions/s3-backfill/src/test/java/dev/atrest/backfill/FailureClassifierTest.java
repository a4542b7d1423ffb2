package dev.atrest.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Failed report rows by reason. UpdateObjectEncryption rows carry the API's own answer for the object (the messages
 * below are the ones S3 documents and the emulator returns); LambdaInvoke rows carry the S3 function's result string
 * or Lambda's error (the documented report example: 200, PermanentFailure, "Lambda returned function error: ...").
 */
class FailureClassifierTest {

    @ParameterizedTest(name = "{0} {1} {2} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "403 | AccessDenied   | The encryption type for the specified object can't be updated because that object is protected by S3 Object Lock. | false | OBJECT_LOCK",
        "400 | InvalidRequest | The object is under a legal hold                                                  | false | OBJECT_LOCK",
        "400 | InvalidRequest | The UpdateObjectEncryption operation doesn't support source objects with the encryption type DSSE-KMS or SSE-C. Only source objects encrypted with SSE-S3 or SSE-KMS are supported. | false | UNSUPPORTED_ENCRYPTION",
        "400 | InvalidRequest | The UpdateObjectEncryption operation doesn't supported unencrypted source objects. Only source objects encrypted with SSE-S3 or SSE-KMS are supported. | false | UNENCRYPTED",
        "403 | AccessDenied   | The AWS KMS key in the request must be owned by the same account as the bucket.   | false | KEY_REJECTED",
        "400 | KMS.DisabledException | arn:aws:kms:us-east-1:123456789012:key/k is disabled.                      | false | KEY_REJECTED",
        "403 | AccessDenied   | Access Denied                                                                     | false | ACCESS_DENIED",
        "404 | NoSuchKey      | The specified key does not exist.                                                 | false | GONE",
        "404 | NoSuchVersion  | The specified version does not exist.                                             | false | GONE",
        "503 | SlowDown       | Please reduce your request rate.                                                  | false | RETRYABLE",
        "500 | InternalError  | We encountered an internal error. Please try again.                               | false | RETRYABLE",
        "409 | OperationAborted | A conflicting conditional operation is currently in progress against this resource. | false | RETRYABLE",
        "400 | InvalidArgument | Something else                                                                   | false | OTHER",
        "-   | -              | -                                                                                 | false | OTHER",
        "200 | PermanentFailure | Lambda returned function error: {\"errorMessage\":\"Task timed out after 900.00 seconds\"} | true | RETRYABLE",
        "200 | TemporaryFailure | RETRYABLE_FAILURE NONE: UpdateObjectEncryption: SlowDown                       | true | RETRYABLE",
        "200 | PermanentFailure | CRITICAL COPY: verification after the write found differences: ETag changed    | true | CRITICAL",
        "200 | PermanentFailure | FAILED NONE: CopyObject: AccessDenied                                          | true | FUNCTION_FAILED",
        "200 | PermanentFailure | REPORTED NONE: something                                                       | true | FUNCTION_FAILED",
        "403 | AccessDenied   | User is not authorized to perform lambda:InvokeFunction                           | true | ACCESS_DENIED",
        "200 | PermanentFailure | SKIPPED SKIP: object no longer exists                                          | true | OTHER",
    })
    void classify(String status, String code, String message, boolean lambdaPath, FailureReason reason) {
        FailedTask task = new FailedTask("b", "k", null, "failed", status, code, message);
        assertThat(FailureClassifier.classify(lambdaPath, task)).isEqualTo(reason);
    }
}
