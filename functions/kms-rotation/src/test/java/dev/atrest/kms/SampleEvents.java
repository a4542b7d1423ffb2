package dev.atrest.kms;

import dev.atrest.testing.EventFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What the KMS tests know of the project's sample events (read with {@link EventFiles}). */
final class SampleEvents {
    /** The key id the CloudTrail samples name (as in the AWS documentation examples). */
    static final String SAMPLE_KEY = "1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String SAMPLE_MRK = "mrk-1234abcd12ab34cd56ef1234567890ab";

    private SampleEvents() {}

    static List<String> cloudTrailFiles() {
        try (Stream<Path> files = Files.list(EventFiles.dir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("cloudtrail-") && n.endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
