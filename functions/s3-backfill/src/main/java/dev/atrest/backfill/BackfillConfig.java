package dev.atrest.backfill;

import static dev.atrest.core.json.UntrustedText.abbreviate;

import dev.atrest.core.config.BucketScope;
import dev.atrest.core.config.ConfigLoader;
import dev.atrest.core.config.TargetKey;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The function's configuration, read and validated once at init.
 *
 * @param scope the buckets the function converges (BucketScope): the BucketNames list, or every bucket of the
 *     account in its Region except the opted-out ones
 * @param targetKeyArn full key ARN the objects are re-encrypted with (an alias is resolved at init, and the key is
 *     checked: see {@link TargetKey})
 * @param reportBucket where the jobs write their generated manifests and completion reports, and atrest its retry
 *     manifests (the stack's report bucket)
 * @param jobRoleArn the role the jobs run as (the stack's job role, the only role the function may pass)
 * @param lambdaPathArn the S3 function's alias, invoked by the jobs for what UpdateObjectEncryption cannot take
 * @param findingsTopicArn optional SNS topic for the summaries
 * @param enableEventBridge turn on EventBridge notifications for each bucket in scope (EnableBucketEventBridge)
 * @param accountId the function's account: every S3 request names it as the expected bucket owner
 */
public record BackfillConfig(BucketScope scope, String targetKeyArn, boolean bucketKeyEnabled, boolean dryRun,
        String reportBucket, String jobRoleArn, String lambdaPathArn, String findingsTopicArn,
        boolean enableEventBridge, String accountId) {

    public static final Pattern BUCKET_NAME = ConfigLoader.BUCKET_NAME;
    static final Pattern ROLE_ARN = Pattern.compile("^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$");
    static final Pattern FUNCTION_ARN = Pattern.compile(
            "^arn:aws(-[a-z]+)*:lambda:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$");
    static final Pattern ACCOUNT_ID = Pattern.compile("^[0-9]{12}$");

    public BackfillConfig {
        if (!ConfigLoader.KMS_KEY_ARN.matcher(targetKeyArn).matches()) {
            throw new IllegalArgumentException("target key must be a full key ARN: " + abbreviate(targetKeyArn));
        }
        java.util.Objects.requireNonNull(scope, "scope");
        if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
            throw new IllegalArgumentException("the function's account must be known: " + abbreviate(accountId));
        }
    }

    /** The listed buckets (empty with all-but-opted-out, whose buckets are listed at each start). */
    public List<String> buckets() {
        return scope.buckets();
    }

    /**
     * Reads the environment and checks the target key with one DescribeKey ({@code describe}): a symmetric customer
     * managed key, enabled, of this account and Region, or init fails naming TARGET_KMS_KEY_ARN.
     */
    public static BackfillConfig load(ConfigLoader env, Function<String, TargetKey.Facts> describe) {
        BucketScope scope = BucketScope.load(env);
        String target = env.matching("TARGET_KMS_KEY_ARN", ConfigLoader.KMS_KEY_OR_ALIAS_ARN, true,
                "a KMS key ARN or alias ARN, e.g. arn:aws:kms:us-east-1:111122223333:alias/atrest");
        boolean bucketKey = env.bool("BUCKET_KEY_ENABLED", true);
        boolean dryRun = env.bool("DRY_RUN", true);
        String reportBucket = env.matching("BACKFILL_REPORT_BUCKET", BUCKET_NAME, true, "the report bucket's name");
        String role = env.matching("BACKFILL_JOB_ROLE_ARN", ROLE_ARN, true, "the job role's ARN");
        String function = env.matching("S3_FUNCTION_ARN", FUNCTION_ARN, true,
                "the S3 function's ARN (its alias), e.g. arn:aws:lambda:us-east-1:111122223333:function:f:live");
        String topic = env.matching("FINDINGS_TOPIC_ARN", ConfigLoader.SNS_TOPIC_ARN, false, "an SNS topic ARN");
        boolean eventBridge = env.bool("ENABLE_BUCKET_EVENTBRIDGE", false);
        // Lambda names no account before the first invocation: the template passes it.
        String account = env.matching("ACCOUNT_ID", ACCOUNT_ID, true, "the function's 12-digit account id");
        String region = env.matching("AWS_REGION", ConfigLoader.REGION, true, "the function's Region");
        env.validate();
        String keyArn = TargetKey.resolve(target, account, region, describe);
        return new BackfillConfig(scope, keyArn, bucketKey, dryRun, reportBucket, role, function, topic, eventBridge,
                account);
    }

    public BackfillConfig withTopic(String topicArn) {
        return new BackfillConfig(scope, targetKeyArn, bucketKeyEnabled, dryRun, reportBucket, jobRoleArn,
                lambdaPathArn, topicArn, enableEventBridge, accountId);
    }

    public BackfillConfig withScope(BucketScope value, boolean eventBridge) {
        return new BackfillConfig(value, targetKeyArn, bucketKeyEnabled, dryRun, reportBucket, jobRoleArn,
                lambdaPathArn, findingsTopicArn, eventBridge, accountId);
    }

    /** Named settings instead of 10 positional ones (tests build configurations this way). */
    public static Builder builder() {
        return new Builder();
    }

    /** This configuration with some settings changed. */
    public Builder toBuilder() {
        return new Builder().scope(scope).targetKeyArn(targetKeyArn).bucketKeyEnabled(bucketKeyEnabled).dryRun(dryRun).reportBucket(reportBucket).jobRoleArn(jobRoleArn).lambdaPathArn(lambdaPathArn).findingsTopicArn(findingsTopicArn).enableEventBridge(enableEventBridge).accountId(accountId);
    }

    public static final class Builder {
        private BucketScope scope;
        private String targetKeyArn;
        private boolean bucketKeyEnabled = true;
        private boolean dryRun = true;
        private String reportBucket;
        private String jobRoleArn;
        private String lambdaPathArn;
        private String findingsTopicArn;
        private boolean enableEventBridge;
        private String accountId;

        private Builder() {}

        public Builder scope(BucketScope value) {
            scope = value;
            return this;
        }

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

        public Builder reportBucket(String value) {
            reportBucket = value;
            return this;
        }

        public Builder jobRoleArn(String value) {
            jobRoleArn = value;
            return this;
        }

        public Builder lambdaPathArn(String value) {
            lambdaPathArn = value;
            return this;
        }

        public Builder findingsTopicArn(String value) {
            findingsTopicArn = value;
            return this;
        }

        public Builder enableEventBridge(boolean value) {
            enableEventBridge = value;
            return this;
        }

        public Builder accountId(String value) {
            accountId = value;
            return this;
        }

        public BackfillConfig build() {
            return new BackfillConfig(scope, targetKeyArn, bucketKeyEnabled, dryRun, reportBucket, jobRoleArn, lambdaPathArn, findingsTopicArn, enableEventBridge, accountId);
        }
    }
}
