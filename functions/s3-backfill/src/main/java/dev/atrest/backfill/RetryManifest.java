package dev.atrest.backfill;

import java.nio.charset.StandardCharsets;
import java.util.List;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The CSV manifest (S3BatchOperations_CSV_20180820, fields Bucket, Key) of a retry job. Keys are URL-encoded, as
 * Batch Operations requires and as the S3 function decodes them; an encoded key and a bucket name hold no comma,
 * quote or line break, so no field needs quoting. No version ids: the S3 function re-reads the current version and
 * acts on it, so a retry never brings an older version back.
 */
public final class RetryManifest {
    private RetryManifest() {}

    public static byte[] csv(List<FailedTask> tasks) {
        StringBuilder out = new StringBuilder();
        for (FailedTask t : tasks) {
            out.append(t.bucket()).append(',').append(SdkHttpUtils.urlEncodeIgnoreSlashes(t.key())).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
