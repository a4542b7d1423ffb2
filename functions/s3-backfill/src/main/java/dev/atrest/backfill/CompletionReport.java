package dev.atrest.backfill;

import static dev.atrest.core.json.UntrustedText.abbreviate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.atrest.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Reads a finished job's completion report: {@code <prefix>/job-<id>/manifest.json} (Format Report_CSV_20180820,
 * Results[{TaskExecutionStatus, Bucket, MD5Checksum, Key}]) and the CSV files of its failed tasks, streamed row by row
 * into {@link FailureGroups}. Everything in the report is untrusted: only files in the configured report bucket under
 * the job's own prefix are read, each file's MD5 must be the one the manifest gives, and text is bounded before it is
 * echoed.
 */
public final class CompletionReport {
    public static final String FORMAT = "Report_CSV_20180820";
    /** Rows as arrays; the source stays open after the last row, so the checksum can take any bytes left. */
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .disable(com.fasterxml.jackson.core.StreamReadFeature.AUTO_CLOSE_SOURCE).build();

    /** Where a report lives; S3 reads through the gateway. */
    @FunctionalInterface
    public interface Store {
        /** The object's content, or empty when it does not exist. */
        Optional<InputStream> open(String bucket, String key);
    }

    /** The report cannot be used: its failures are not acted on. */
    public static final class Unusable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message);
        }
    }

    /**
     * @param found false when the job wrote no report (S3 writes one only once a task ran)
     * @param location the report's manifest, s3://bucket/key
     * @param rows failed-task rows read
     * @param malformedRows rows too short to be a task
     */
    public record Summary(boolean found, String location, long rows, long malformedRows) {}

    private CompletionReport() {}

    public static Summary read(Store store, JobState job, String reportBucket, FailureGroups into) {
        if (!job.reportEnabled() || job.reportBucket() == null) {
            return new Summary(false, null, 0, 0);
        }
        if (!reportBucket.equals(job.reportBucket())) {
            throw new Unusable("the job reports to bucket '" + abbreviate(job.reportBucket())
                    + "', not the configured report bucket: not read");
        }
        String base = JobRequests.reportBase(job.reportPrefix(), job.jobId());
        String manifestKey = base + "/manifest.json";
        String location = "s3://" + reportBucket + "/" + manifestKey;
        Optional<InputStream> manifest = store.open(reportBucket, manifestKey);
        if (manifest.isEmpty()) {
            return new Summary(false, location, 0, 0);
        }
        JsonNode root;
        try (InputStream in = manifest.get()) {
            root = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new Unusable("the report manifest " + location + " is not JSON: " + abbreviate(e.getMessage()));
        }
        if (root == null || !FORMAT.equals(root.path("Format").asText())) {
            throw new Unusable("the report manifest " + location + " is not of format " + FORMAT);
        }
        long rows = 0;
        long malformed = 0;
        for (JsonNode result : root.path("Results")) {
            if (!"failed".equals(result.path("TaskExecutionStatus").asText())) {
                continue;
            }
            String bucket = result.path("Bucket").asText();
            String key = result.path("Key").asText();
            if (!reportBucket.equals(bucket) || !key.startsWith(base + "/results/") || key.contains("..")) {
                throw new Unusable("the report manifest names '" + abbreviate(bucket) + "/" + abbreviate(key)
                        + "', outside this job's report: not read");
            }
            long[] counts = readFailed(store, bucket, key, result.path("MD5Checksum").asText(null), into);
            rows += counts[0];
            malformed += counts[1];
        }
        return new Summary(true, location, rows, malformed);
    }

    private static long[] readFailed(Store store, String bucket, String key, String md5, FailureGroups into) {
        InputStream raw = store.open(bucket, key).orElseThrow(() -> new Unusable("the report file s3://" + bucket
                + "/" + abbreviate(key) + " named by the manifest does not exist"));
        MessageDigest digest = md5Digest();
        long rows = 0;
        long malformed = 0;
        // Rows are grouped as they stream in; a checksum mismatch at the end discards the whole job's groups (the
        // caller never acts on a report that threw).
        try (DigestInputStream in = new DigestInputStream(raw, digest);
             MappingIterator<String[]> it = CSV.readerFor(String[].class).readValues(in)) {
            while (it.hasNextValue()) {
                String[] row = it.nextValue();
                if (row.length == 1 && row[0].isEmpty()) {
                    continue;
                }
                if (row.length < 6) {
                    malformed++;
                    continue;
                }
                rows++;
                into.add(new FailedTask(row[0], decode(row[1]), row[2].isEmpty() ? null : row[2], row[3], row[4],
                        row[5], row.length > 6 ? row[6] : ""));
            }
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            if (e instanceof Unusable u) {
                throw u;
            }
            throw new Unusable("the report file s3://" + bucket + "/" + abbreviate(key) + " is not CSV: "
                    + abbreviate(e.getMessage()));
        }
        if (md5 != null && !md5.equalsIgnoreCase(HexFormat.of().formatHex(digest.digest()))) {
            throw new Unusable("the report file s3://" + bucket + "/" + abbreviate(key)
                    + " does not match the MD5 checksum its manifest gives");
        }
        return new long[] {rows, malformed};
    }

    /** Report keys are URL-encoded, as in manifests; a key that does not decode is kept as written. */
    static String decode(String key) {
        try {
            return URLDecoder.decode(key, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return key;
        }
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
