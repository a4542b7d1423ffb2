package dev.atrest.backfill;

import static dev.atrest.core.json.UntrustedText.abbreviate;

import dev.atrest.core.config.ConfigException;
import dev.atrest.core.config.ConfigLoader;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The function's configuration, read and validated once at init.
 *
 * @param buckets the watched buckets (BucketNames): the only buckets the function ever plans a job for
 * @param targetKeyArn full key ARN the objects are re-encrypted with (an alias is resolved at init)
 * @param reportBucket where the jobs write their generated manifests and completion reports, and atrest its retry
 *     manifests (the stack's report bucket)
 * @param jobRoleArn the role the jobs run as (the stack's job role, the only role the function may pass)
 * @param lambdaPathArn the S3 function's alias, invoked by the jobs for what UpdateObjectEncryption cannot take
 * @param findingsTopicArn optional SNS topic for the summaries
 */
public record BackfillConfig(List<String> buckets, String targetKeyArn, boolean bucketKeyEnabled, boolean dryRun,
        String reportBucket, String jobRoleArn, String lambdaPathArn, String findingsTopicArn) {

    public static final Pattern BUCKET_NAME = ConfigLoader.BUCKET_NAME;
    static final Pattern ROLE_ARN = Pattern.compile("^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$");
    static final Pattern FUNCTION_ARN = Pattern.compile(
            "^arn:aws(-[a-z]+)*:lambda:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$");

    public BackfillConfig {
        buckets = List.copyOf(new LinkedHashSet<>(buckets));
        if (!ConfigLoader.KMS_KEY_ARN.matcher(targetKeyArn).matches()) {
            throw new IllegalArgumentException("target key must be a full key ARN: " + abbreviate(targetKeyArn));
        }
    }

    /**
     * Reads the environment. {@code aliasResolver} turns an alias ARN into its key ARN; it runs only when
     * TARGET_KMS_KEY_ARN is not already a key ARN, so the common case costs no KMS call at init.
     */
    public static BackfillConfig load(ConfigLoader env, UnaryOperator<String> aliasResolver) {
        List<String> buckets = env.list("BUCKET_NAMES", ConfigLoader.BUCKET_NAME_LIST,
                "S3 bucket names separated by commas without spaces (3 to 63 lower-case letters, digits, dots, hyphens)");
        if (buckets.isEmpty() && env.problems().stream().noneMatch(p -> p.startsWith("BUCKET_NAMES"))) {
            env.problem("BUCKET_NAMES is required: the buckets to converge");
        }
        String target = env.matching("TARGET_KMS_KEY_ARN", ConfigLoader.KMS_KEY_OR_ALIAS_ARN, true,
                "a KMS key ARN or alias ARN, e.g. arn:aws:kms:us-east-1:111122223333:alias/atrest");
        boolean bucketKey = env.bool("BUCKET_KEY_ENABLED", true);
        boolean dryRun = env.bool("DRY_RUN", true);
        String reportBucket = env.matching("BACKFILL_REPORT_BUCKET", BUCKET_NAME, true, "the report bucket's name");
        String role = env.matching("BACKFILL_JOB_ROLE_ARN", ROLE_ARN, true, "the job role's ARN");
        String function = env.matching("S3_FUNCTION_ARN", FUNCTION_ARN, true,
                "the S3 function's ARN (its alias), e.g. arn:aws:lambda:us-east-1:111122223333:function:f:live");
        String topic = env.matching("FINDINGS_TOPIC_ARN", ConfigLoader.SNS_TOPIC_ARN, false, "an SNS topic ARN");
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
                throw new ConfigException("TARGET_KMS_KEY_ARN='" + target + "' resolved to '" + abbreviate(keyArn)
                        + "', which is not a key ARN");
            }
        }
        return new BackfillConfig(buckets, keyArn, bucketKey, dryRun, reportBucket, role, function, topic);
    }

    public BackfillConfig withTopic(String topicArn) {
        return new BackfillConfig(buckets, targetKeyArn, bucketKeyEnabled, dryRun, reportBucket, jobRoleArn,
                lambdaPathArn, topicArn);
    }
}
