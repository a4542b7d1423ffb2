package dev.atrest.s3;

import dev.atrest.core.config.BucketScope;
import dev.atrest.core.config.ConfigLoader;
import dev.atrest.core.config.TargetKey;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The function's configuration, read and validated once at init.
 *
 * @param targetKeyArn full key ARN objects are re-encrypted with (an alias is resolved at init, and the key is checked:
 *     see {@link TargetKey})
 * @param compliantKeyArns other full key ARNs whose SSE-KMS objects are left as they are
 * @param multipartThresholdBytes objects larger than this are copied part by part (copy path only)
 * @param partSizeBytes size of each UploadPartCopy range (S3 wants at least 5 MiB, except for the last part)
 * @param functionRoleId the unique id (AROA...) of this function's own role: an S3 notification whose principalId
 *     names a session of it was caused by this function's own write
 * @param maxConcurrency objects processed at once within one invocation
 * @param accountId this function's account: every S3 request names it as the expected bucket owner
 * @param scope the buckets this function acts on; events for any other bucket are skipped before any request
 */
public record ReencryptConfig(
        String targetKeyArn,
        boolean bucketKeyEnabled,
        boolean dryRun,
        ReencryptMethod method,
        Set<String> compliantKeyArns,
        long multipartThresholdBytes,
        long partSizeBytes,
        boolean verifyAfterWrite,
        String functionRoleId,
        int maxConcurrency,
        String accountId,
        BucketScope scope) {

    /** CopyObject's limit: larger objects must be copied part by part. */
    public static final long MAX_SINGLE_COPY_BYTES = 5L * 1024 * 1024 * 1024;
    public static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    static final long DEFAULT_PART_BYTES = 64L * 1024 * 1024;
    static final int DEFAULT_CONCURRENCY = 8;
    /** An account id, as the template passes AWS::AccountId. */
    static final Pattern ACCOUNT_ID = Pattern.compile("^[0-9]{12}$");
    /** A role's unique id (IAM: AROA and upper-case letters and digits), as GetAtt Role.RoleId gives it. */
    static final Pattern ROLE_ID = Pattern.compile("^AROA[0-9A-Z]{12,124}$");

    public ReencryptConfig {
        compliantKeyArns = Set.copyOf(compliantKeyArns);
        if (!ConfigLoader.KMS_KEY_ARN.matcher(targetKeyArn).matches()) {
            throw new IllegalArgumentException("target key must be a full key ARN: " + targetKeyArn);
        }
        if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
            throw new IllegalArgumentException("the function's account must be known: " + accountId);
        }
        java.util.Objects.requireNonNull(scope, "scope");
    }

    /**
     * Reads the environment and checks the target key with one DescribeKey ({@code describe}): it must be a symmetric
     * customer managed key, enabled, of this account and Region, or init fails naming TARGET_KMS_KEY_ARN.
     */
    public static ReencryptConfig load(ConfigLoader env, Function<String, TargetKey.Facts> describe) {
        String target = env.matching("TARGET_KMS_KEY_ARN", ConfigLoader.KMS_KEY_OR_ALIAS_ARN, true,
                "a KMS key ARN or alias ARN, e.g. arn:aws:kms:us-east-1:111122223333:alias/atrest");
        boolean bucketKey = env.bool("BUCKET_KEY_ENABLED", true);
        boolean dryRun = env.bool("DRY_RUN", true);
        String method = env.oneOf("REENCRYPT_METHOD", "auto", Set.of("auto", "update", "copy"));
        List<String> compliant = env.list("COMPLIANT_KMS_KEY_ARNS", ConfigLoader.KMS_KEY_ARN_LIST,
                "full KMS key ARNs (arn:aws:kms:<region>:<account>:key/<id>), comma-separated without spaces");
        // UploadPartCopy parts are at least 5 MiB, so a smaller threshold could not be copied part by part.
        long threshold = env.longInRange("MULTIPART_THRESHOLD_BYTES", MAX_SINGLE_COPY_BYTES, MIN_PART_BYTES,
                MAX_SINGLE_COPY_BYTES);
        boolean verify = env.bool("VERIFY_AFTER_WRITE", true);
        BucketScope scope = BucketScope.load(env);
        // Lambda names no account before the first invocation: the template passes it, and the role's id.
        String account = env.matching("ACCOUNT_ID", ACCOUNT_ID, true, "the function's 12-digit account id");
        String roleId = env.matching("FUNCTION_ROLE_ID", ROLE_ID, true,
                "the unique id of the function's role (AROA followed by upper-case letters and digits)");
        String region = env.matching("AWS_REGION", ConfigLoader.REGION, true, "the function's Region");
        env.validate();
        String keyArn = TargetKey.resolve(target, account, region, describe);
        return new ReencryptConfig(keyArn, bucketKey, dryRun, ReencryptMethod.parse(method), Set.copyOf(compliant),
                threshold, DEFAULT_PART_BYTES, verify, roleId, DEFAULT_CONCURRENCY, account, scope);
    }

    public ReencryptConfig withDryRun(boolean value) {
        return toBuilder().dryRun(value).build();
    }

    public ReencryptConfig withMethod(ReencryptMethod value) {
        return toBuilder().method(value).build();
    }

    public ReencryptConfig withMultipart(long threshold, long partSize) {
        return toBuilder().multipartThresholdBytes(threshold).partSizeBytes(partSize).build();
    }

    public ReencryptConfig withScope(BucketScope value) {
        return toBuilder().scope(value).build();
    }

    /** Named settings instead of 12 positional ones (tests build configurations this way). */
    public static Builder builder() {
        return new Builder();
    }

    /** This configuration with some settings changed. */
    public Builder toBuilder() {
        return new Builder().targetKeyArn(targetKeyArn).bucketKeyEnabled(bucketKeyEnabled).dryRun(dryRun).method(method).compliantKeyArns(compliantKeyArns).multipartThresholdBytes(multipartThresholdBytes).partSizeBytes(partSizeBytes).verifyAfterWrite(verifyAfterWrite).functionRoleId(functionRoleId).maxConcurrency(maxConcurrency).accountId(accountId).scope(scope);
    }

    public static final class Builder {
        private String targetKeyArn;
        private boolean bucketKeyEnabled = true;
        private boolean dryRun = true;
        private ReencryptMethod method = ReencryptMethod.AUTO;
        private Set<String> compliantKeyArns = Set.of();
        private long multipartThresholdBytes = MAX_SINGLE_COPY_BYTES;
        private long partSizeBytes = DEFAULT_PART_BYTES;
        private boolean verifyAfterWrite = true;
        private String functionRoleId;
        private int maxConcurrency = DEFAULT_CONCURRENCY;
        private String accountId;
        private BucketScope scope;

        private Builder() {}

        public Builder targetKeyArn(String value) {
            targetKeyArn = value;
            return this;
        }

        public Builder bucketKeyEnabled(boolean value) {
            bucketKeyEnabled = value;
            return this;
        }

        public Builder dryRun(boolean value) {
            dryRun = value;
            return this;
        }

        public Builder method(ReencryptMethod value) {
            method = value;
            return this;
        }

        public Builder compliantKeyArns(Set<String> value) {
            compliantKeyArns = value;
            return this;
        }

        public Builder multipartThresholdBytes(long value) {
            multipartThresholdBytes = value;
            return this;
        }

        public Builder partSizeBytes(long value) {
            partSizeBytes = value;
            return this;
        }

        public Builder verifyAfterWrite(boolean value) {
            verifyAfterWrite = value;
            return this;
        }

        public Builder functionRoleId(String value) {
            functionRoleId = value;
            return this;
        }

        public Builder maxConcurrency(int value) {
            maxConcurrency = value;
            return this;
        }

        public Builder accountId(String value) {
            accountId = value;
            return this;
        }

        public Builder scope(BucketScope value) {
            scope = value;
            return this;
        }

        public ReencryptConfig build() {
            return new ReencryptConfig(targetKeyArn, bucketKeyEnabled, dryRun, method, compliantKeyArns, multipartThresholdBytes, partSizeBytes, verifyAfterWrite, functionRoleId, maxConcurrency, accountId, scope);
        }
    }
}
