package dev.atrest.backfill;

import java.util.Optional;

/** The three jobs atrest creates for a bucket; the name is the value of the job's {@code atrest:backfill} tag. */
public enum JobKind {
    /** S3's own UpdateObjectEncryption on every SSE-S3 object the manifest generator lists. */
    SSE_S3("sse-s3", "SSES3"),
    /** LambdaInvoke of the S3 function on every unencrypted object: UpdateObjectEncryption does not take them. */
    NOT_SSE("not-sse", "NOTSSE"),
    /** LambdaInvoke of the S3 function on the failed tasks of a finished job that a second try may fix. */
    RETRY("retry", null);

    private final String tag;
    private final String filter;

    JobKind(String tag, String filter) {
        this.tag = tag;
        this.filter = filter;
    }

    public String tag() {
        return tag;
    }

    /** The manifest generator's MatchAnyObjectEncryption filter (exactly one per job), or null for a retry. */
    public String filter() {
        return filter;
    }

    /** True when the job invokes the S3 function instead of running S3's own operation. */
    public boolean lambdaPath() {
        return this != SSE_S3;
    }

    public static Optional<JobKind> fromTag(String value) {
        for (JobKind k : values()) {
            if (k.tag.equals(value)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
