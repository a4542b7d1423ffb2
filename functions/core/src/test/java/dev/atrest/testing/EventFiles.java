package dev.atrest.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's sample events ({@code events/*.json}, the files `sam local invoke -e` and `make invoke` use), read as
 * text so tests can rewrite what they name before parsing.
 */
public final class EventFiles {
    private EventFiles() {}

    /** {@code events/} of the project: from {@code -Datrest.projectDir} (set by the build), else the nearest above. */
    public static Path dir() {
        String configured = System.getProperty("atrest.projectDir");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("events")) && Files.isDirectory(p.resolve("emulator"))) {
                return p.resolve("events");
            }
        }
        throw new IllegalStateException("no events/ directory above " + start);
    }

    public static String text(String name) {
        try {
            return Files.readString(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses test JSON (a sample, or one a test built); an unparsable text fails the test. */
    public static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
