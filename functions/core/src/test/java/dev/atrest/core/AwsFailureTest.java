package dev.atrest.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.aws.AwsFailure.Kind;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The one mapping of SDK exceptions to the kinds services act on. */
class AwsFailureTest {

    private static AwsServiceException answer(int status, String code, String message) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "403, AccessDenied,                     ACCESS_DENIED",
            "400, AccessDeniedException,            ACCESS_DENIED",
            "400, UnauthorizedOperation,            ACCESS_DENIED",
            "401, AuthFailure,                      ACCESS_DENIED",
            "403, OptInRequired,                    ACCESS_DENIED",
            "400, UnrecognizedClientException,      ACCESS_DENIED",
            "403, InvalidClientTokenId,             ACCESS_DENIED",
            "403, ExpiredToken,                     ACCESS_DENIED",
            "403, null,                             ACCESS_DENIED",
            "400, ThrottlingException,              RETRYABLE",
            "503, SlowDown,                         RETRYABLE",
            "500, InternalError,                    RETRYABLE",
            "429, TooManyRequestsException,         RETRYABLE",
            "400, RequestLimitExceeded,             RETRYABLE",
            "404, NoSuchKey,                        NOT_FOUND",
            "404, null,                             NOT_FOUND",
            "400, NotFoundException,                NOT_FOUND",
            "400, InvalidVolume.NotFound,           NOT_FOUND",
            "400, FileSystemNotFound,               NOT_FOUND",
            "404, ServerSideEncryptionConfigurationNotFoundError, NOT_FOUND",
            "412, PreconditionFailed,               PRECONDITION_FAILED",
            "412, null,                             PRECONDITION_FAILED",
            "501, NotImplemented,                   UNSUPPORTED",
            "400, InvalidRequest,                   UNSUPPORTED",
            "400, UnsupportedOperationException,    UNSUPPORTED",
            "400, ValidationException,              INVALID",
            "400, InvalidArnException,              INVALID",
            "400, null,                             INVALID",
            "409, OperationAborted,                 INVALID",
    })
    void commonRules(int status, String code, Kind expected) {
        AwsFailure f = AwsFailure.map("Op", answer(status, code, "why"));
        assertThat(f.kind()).isEqualTo(expected);
        assertThat(f.code()).isEqualTo(code);
        assertThat(f.operation()).isEqualTo("Op");
        assertThat(f.getMessage()).isEqualTo("Op: " + (code != null ? code : "HTTP " + status) + ": why");
    }

    @Test
    void aServiceHookComesFirstAndFallsThroughWhenEmpty() {
        AwsFailure.ServiceErrors hook = (code, status) ->
                status == 409 ? Optional.of(Kind.RETRYABLE) : Optional.empty();
        assertThat(AwsFailure.map("Op", hook, answer(409, "OperationAborted", "x")).kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(AwsFailure.map("Op", hook, answer(403, "AccessDenied", "x")).kind()).isEqualTo(Kind.ACCESS_DENIED);
    }

    @Test
    void noServiceAnswerIsRetryable() {
        AwsFailure f = AwsFailure.map("Op", SdkClientException.create("connection reset", new IOException("reset")));
        assertThat(f.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(f.code()).isNull();
        assertThat(f.getMessage()).isEqualTo("Op: connection reset");
    }

    @Test
    void anUnknownEndpointHostIsNotRetried() {
        AwsFailure f = AwsFailure.map("ListKeys", SdkClientException.create("Unable to execute HTTP request",
                new java.net.UnknownHostException("kms.us-esat-1.amazonaws.com")));
        assertThat(f.kind()).isEqualTo(Kind.INVALID);
        assertThat(f.getMessage()).contains("host is unknown");
    }

    @Test
    void callMapsAndPassesResults() {
        assertThat(AwsFailure.call("Op", () -> 7)).isEqualTo(7);
        AwsFailure f = org.assertj.core.api.Assertions.catchThrowableOfType(AwsFailure.class,
                () -> AwsFailure.call("Op", () -> {
                    throw answer(404, "NoSuchBucket", "gone");
                }));
        assertThat(f.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(Kind.RETRYABLE.retryable()).isTrue();
        assertThat(Kind.INVALID.retryable()).isFalse();
    }
}
