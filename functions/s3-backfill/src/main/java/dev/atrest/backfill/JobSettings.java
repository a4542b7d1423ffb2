package dev.atrest.backfill;

/**
 * What every job of one function shares: whose it is, the role it runs as, where it reports, the target encryption
 * and the Lambda path.
 *
 * @param account the function's own account: the jobs' AccountId and every ExpectedBucketOwner, so a job never acts
 *     on a bucket another account owns
 */
public record JobSettings(String account, String partition, String roleArn, String reportBucket, String keyArn,
        boolean bucketKeyEnabled, String lambdaPathArn, int priority) {

    public String bucketArn(String bucket) {
        return "arn:" + partition + ":s3:::" + bucket;
    }
}
