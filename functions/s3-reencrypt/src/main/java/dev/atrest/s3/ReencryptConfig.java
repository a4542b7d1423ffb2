package dev.atrest.s3;

import dev.atrest.core.config.ConfigException;
import dev.atrest.core.config.ConfigLoader;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The function's configuration, read and validated once at init.
 *
 * @param targetKeyArn full key ARN objects are re-encrypted with (an alias is resolved at init)
 * @param compliantKeyArns other full key ARNs whose SSE-KMS objects are left as they are
 * @param multipartThresholdBytes objects larger than this are copied part by part (copy path only)
 * @param partSizeBytes size of each UploadPartCopy range (S3 wants at least 5 MiB, except for the last part)
 * @param functionName this function's name, to recognise events caused by its own writes (null outside Lambda)
 * @param maxConcurrency objects processed at once within one invocation
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
        String functionName,
        int maxConcurrency) {

    /** CopyObject's limit: larger objects must be copied part by part. */
    public static final long MAX_SINGLE_COPY_BYTES = 5L * 1024 * 1024 * 1024;
    public static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    static final long DEFAULT_PART_BYTES = 64L * 1024 * 1024;
    static final int DEFAULT_CONCURRENCY = 8;

    public ReencryptConfig {
        compliantKeyArns = Set.copyOf(compliantKeyArns);
        if (!ConfigLoader.KMS_KEY_ARN.matcher(targetKeyArn).matches()) {
            throw new IllegalArgumentException("target key must be a full key ARN: " + targetKeyArn);
        }
    }

    /**
     * Reads the environment. {@code aliasResolver} turns an alias (or key id) into its key ARN; it runs only when
     * TARGET_KMS_KEY_ARN is not already a key ARN, so the common case costs no KMS call at init.
     */
    public static ReencryptConfig load(ConfigLoader env, UnaryOperator<String> aliasResolver) {
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
        String functionName = env.optionalString("AWS_LAMBDA_FUNCTION_NAME", null);
        env.validate();
        String keyArn = target;
        if (!ConfigLoader.KMS_KEY_ARN.matcher(target).matches()) {
            try {
                keyArn = aliasResolver.apply(target);
            } catch (RuntimeException e) {
                throw new ConfigException("TARGET_KMS_KEY_ARN='" + target + "' could not be resolved to a key ARN: "
                        + e.getMessage());
            }
            if (keyArn == null || !ConfigLoader.KMS_KEY_ARN.matcher(keyArn).matches()) {
                throw new ConfigException("TARGET_KMS_KEY_ARN='" + target + "' resolved to '" + keyArn
                        + "', which is not a key ARN");
            }
        }
        return new ReencryptConfig(keyArn, bucketKey, dryRun, ReencryptMethod.parse(method), Set.copyOf(compliant),
                threshold, DEFAULT_PART_BYTES, verify, functionName, DEFAULT_CONCURRENCY);
    }

    public ReencryptConfig withDryRun(boolean value) {
        return new ReencryptConfig(targetKeyArn, bucketKeyEnabled, value, method, compliantKeyArns,
                multipartThresholdBytes, partSizeBytes, verifyAfterWrite, functionName, maxConcurrency);
    }

    public ReencryptConfig withMethod(ReencryptMethod value) {
        return new ReencryptConfig(targetKeyArn, bucketKeyEnabled, dryRun, value, compliantKeyArns,
                multipartThresholdBytes, partSizeBytes, verifyAfterWrite, functionName, maxConcurrency);
    }

    public ReencryptConfig withMultipart(long threshold, long partSize) {
        return new ReencryptConfig(targetKeyArn, bucketKeyEnabled, dryRun, method, compliantKeyArns,
                threshold, partSize, verifyAfterWrite, functionName, maxConcurrency);
    }
}
