package dev.atrest.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.aws.ExpectedBucketOwner;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;

class ExpectedBucketOwnerTest {
    private static final String OWN = "111122223333";
    private static final String OWNER = "x-amz-expected-bucket-owner";
    private static final String SOURCE_OWNER = "x-amz-source-expected-bucket-owner";

    static Stream<Arguments> cases() {
        Map<String, String> none = Map.of();
        Map<String, String> copy = Map.of("x-amz-copy-source", "bucket/key");
        return Stream.of(
                // account set, request headers, expected owner header, expected source owner header
                Arguments.of("a read gets the owner", OWN, none, OWN, null),
                Arguments.of("a copy gets the source owner too", OWN, copy, OWN, OWN),
                Arguments.of("no account yet: nothing added", null, copy, null, null),
                Arguments.of("not an account id: nothing added", "arn:aws:iam::1:root", none, null, null),
                Arguments.of("a value the request carries is kept", OWN,
                        Map.of(OWNER, "444455556666", "x-amz-copy-source", "b/k", SOURCE_OWNER, "444455556666"),
                        "444455556666", "444455556666"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void addsTheOwnAccountToEveryRequest(String name, String account, Map<String, String> headers, String owner,
            String sourceOwner) {
        ExpectedBucketOwner interceptor = new ExpectedBucketOwner();
        interceptor.account(account);
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.PUT)
                .uri(URI.create("https://s3.us-east-1.amazonaws.com/bucket/key"));
        headers.forEach(request::putHeader);

        SdkHttpRequest sent = interceptor.modifyHttpRequest(context(request.build()), new ExecutionAttributes());

        assertThat(sent.firstMatchingHeader(OWNER)).isEqualTo(Optional.ofNullable(owner));
        assertThat(sent.firstMatchingHeader(SOURCE_OWNER)).isEqualTo(Optional.ofNullable(sourceOwner));
    }

    private static Context.ModifyHttpRequest context(SdkHttpRequest request) {
        return new Context.ModifyHttpRequest() {
            @Override
            public SdkHttpRequest httpRequest() {
                return request;
            }

            @Override
            public Optional<RequestBody> requestBody() {
                return Optional.empty();
            }

            @Override
            public Optional<AsyncRequestBody> asyncRequestBody() {
                return Optional.empty();
            }

            @Override
            public SdkRequest request() {
                return HeadObjectRequest.builder().bucket("bucket").key("key").build();
            }
        };
    }
}
