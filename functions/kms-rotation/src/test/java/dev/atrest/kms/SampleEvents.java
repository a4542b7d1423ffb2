package dev.atrest.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The project's sample events (events/*.json), read as text so tests can rewrite the key they name. */
final class SampleEvents {
    /** The key id the CloudTrail samples name (as in the AWS documentation examples). */
    static final String SAMPLE_KEY = "1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String SAMPLE_MRK = "mrk-1234abcd12ab34cd56ef1234567890ab";

    private SampleEvents() {}

    static Path dir() {
        String configured = System.getProperty("atrest.projectDir");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("events")) && Files.isDirectory(p.resolve("emulator"))) {
                return p.resolve("events");
            }
        }
        throw new IllegalStateException("no events/ directory above " + start);
    }

    static String text(String name) {
        try {
            return Files.readString(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> cloudTrailFiles() {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("cloudtrail-") && n.endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
