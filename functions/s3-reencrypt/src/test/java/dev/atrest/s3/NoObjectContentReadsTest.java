package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * "The functions never read object contents: all S3 work is server-side". Runs after every other Jupiter
 * class of the module (junit-platform.properties orders classes by @Order), so {@link S3CallLog}, which watches
 * every S3 client of the test JVM, has seen every scenario of the suite: the function's own code (a main
 * {@code dev.atrest.s3} class on the calling thread) must have made no GetObject. Plus a static check of the main
 * sources. Each scenario test also asserts zero GetObject in the emulator's request log while the function
 * runs.
 */
@Order(Integer.MAX_VALUE)
class NoObjectContentReadsTest {
    static final Pattern CONTENT_READ = Pattern.compile(
            "\\bgetObject(AsBytes|AsInputStream)?\\s*\\(|GetObjectRequest|ResponseTransformer|selectObjectContent");

    @Test
    void theFunctionMadeNoGetObjectDuringTheWholeSuite() {
        System.out.printf("== S3 calls made by the function's code during the suite: %d, GetObject among them: %d ==%n",
                S3CallLog.functionCallsEver(), S3CallLog.functionContentReads().size());
        assertThat(S3CallLog.functionCallsEver()).as("the interceptor saw the function's calls").isPositive();
        assertThat(S3CallLog.functionContentReads()).isEmpty();
    }

    @Test
    void theMainCodeHasNoCallThatReadsObjectContent() throws IOException {
        Path main = Path.of("src/main/java/dev/atrest/s3");
        assertThat(main).isDirectory();
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (CONTENT_READ.matcher(lines.get(i)).find()) {
                        hits.add(file.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertThat(hits).isEmpty();
        assertThat(CONTENT_READ.matcher("s3.getObject(b -> b.bucket(x))").find()).isTrue();
        assertThat(CONTENT_READ.matcher("s3.getObjectTagging(b -> b)").find()).isFalse();
    }
}
