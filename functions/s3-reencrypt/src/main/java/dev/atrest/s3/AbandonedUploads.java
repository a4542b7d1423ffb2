package dev.atrest.s3;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Multipart uploads this function started for a key and could not abort (AbortMultipartUpload failed after every
 * retry): the next multipart copy of the same key aborts them. Pure. An upload is ours when S3 names the same
 * initiator as for the upload we have just created (the function's role session); it is abandoned when it started
 * longer ago than a Lambda invocation can run, so a concurrent invocation's upload in progress is never touched.
 * The bucket lifecycle rule AbortIncompleteMultipartUpload is the backstop for keys never copied again.
 */
public final class AbandonedUploads {
    private AbandonedUploads() {}

    /** Longer than Lambda's 15-minute maximum run. */
    static final Duration MIN_AGE = Duration.ofMinutes(16);

    public record Upload(String key, String uploadId, String initiator, Instant initiated) {}

    /** The upload ids to abort: same key, same initiator as {@code ours}, older than {@link #MIN_AGE}. */
    public static List<String> toAbort(List<Upload> uploads, String key, String ours, Instant now) {
        String initiator = null;
        for (Upload u : uploads) {
            if (u.uploadId().equals(ours)) {
                initiator = u.initiator();
            }
        }
        List<String> out = new ArrayList<>();
        if (initiator == null) {
            return out; // our own upload is not listed: nothing can be told apart safely
        }
        for (Upload u : uploads) {
            if (u.key().equals(key) && !u.uploadId().equals(ours) && initiator.equals(u.initiator())
                    && u.initiated() != null && u.initiated().isBefore(now.minus(MIN_AGE))) {
                out.add(u.uploadId());
            }
        }
        return out;
    }
}
