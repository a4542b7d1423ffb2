package dev.atrest.core.aws;

import java.util.regex.Pattern;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Has S3 itself refuse any request of a client to a bucket of another account: every request carries the S3 API's
 * ExpectedBucketOwner ({@code x-amz-expected-bucket-owner}) and, on a copy, ExpectedSourceBucketOwner
 * ({@code x-amz-source-expected-bucket-owner}), set to the function's own account. Every object operation atrest
 * calls takes them; S3 answers 403 AccessDenied, without reading or writing anything, when the bucket belongs to
 * someone else. An event or a Batch Operations task may name any bucket: with this, a function in account A never
 * acts on a bucket of account B, even one whose policy lets A in (an organisation-wide grant).
 *
 * <p>The handler sets the account from each invocation's function ARN before the first request; until then
 * (SnapStart priming, a test without a Lambda context) nothing is added. A value a request already carries is kept.
 */
public final class ExpectedBucketOwner implements ExecutionInterceptor {
    static final String HEADER = "x-amz-expected-bucket-owner";
    static final String SOURCE_HEADER = "x-amz-source-expected-bucket-owner";
    private static final String COPY_SOURCE = "x-amz-copy-source";
    private static final Pattern ACCOUNT = Pattern.compile("^[0-9]{12}$");

    private volatile String account;

    /** The account whose buckets this client may use; null (or not an account id) stops adding the headers. */
    public void account(String accountId) {
        this.account = accountId != null && ACCOUNT.matcher(accountId).matches() ? accountId : null;
    }

    public String account() {
        return account;
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        SdkHttpRequest request = context.httpRequest();
        String owner = account;
        if (owner == null) {
            return request;
        }
        SdkHttpRequest.Builder builder = request.toBuilder();
        if (request.firstMatchingHeader(HEADER).isEmpty()) {
            builder.putHeader(HEADER, owner);
        }
        if (request.firstMatchingHeader(COPY_SOURCE).isPresent() && request.firstMatchingHeader(SOURCE_HEADER).isEmpty()) {
            builder.putHeader(SOURCE_HEADER, owner);
        }
        return builder.build();
    }
}
