package dev.atrest.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.atrest.core.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One emulator process (moto server plus atrest's extensions, see {@code emulator/}) on a free loopback port.
 * Tests talk to it with the real SDK clients over HTTP; this class only starts, resets, inspects and stops it.
 */
public final class Emulator implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final URI endpoint;
    private final Path logFile;

    private Emulator(Process process, URI endpoint, Path logFile) {
        this.process = process;
        this.endpoint = endpoint;
        this.logFile = logFile;
    }

    /** Starts the emulator and waits until it answers; throws (never skips) when it cannot. */
    public static Emulator start() {
        Path projectDir = projectDir();
        String python = System.getProperty("atrest.python", "");
        if (python.isBlank() || !Files.isExecutable(Path.of(python))) {
            Path venv = projectDir.resolve(".venv/bin/python");
            python = Files.isExecutable(venv) ? venv.toString() : "python3";
        }
        int port = freePort();
        Path logDir = Path.of("target");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + logDir.toAbsolutePath(), e);
        }
        Path logFile = logDir.resolve("emulator-" + port + ".log").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(python, "-m", "atrest_emulator", "--port", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        pb.environment().put("PYTHONPATH", projectDir.resolve("emulator").toString());
        pb.environment().put("MOTO_EC2_LOAD_DEFAULT_AMIS", "false");
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the emulator with '" + python
                    + "' (run 'make setup' to create .venv from requirements.txt)", e);
        }
        Emulator emulator = new Emulator(process, URI.create("http://127.0.0.1:" + port), logFile);
        emulator.awaitReady(Duration.ofSeconds(60));
        return emulator;
    }

    static Path projectDir() {
        String configured = System.getProperty("atrest.projectDir");
        Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        // Walk up to the directory holding the emulator package (the project root).
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("emulator/atrest_emulator"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the project root (emulator/atrest_emulator) above " + dir);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the emulator exited with code " + process.exitValue()
                        + " before it was ready; its output:\n" + tail());
            }
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(endpoint.resolve("/_atrest/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep(100);
        }
        close();
        throw new IllegalStateException("the emulator did not become ready within " + timeout + "; its output:\n" + tail());
    }

    public URI endpoint() {
        return endpoint;
    }

    public Path logFile() {
        return logFile;
    }

    /** Clears every service's state, the extensions' state and the request log. */
    public void reset() {
        post("/moto-api/reset", "");
    }

    /** Every request answered since the last reset or {@link #clearRequests()}, in order. */
    public List<Map<String, Object>> requests() {
        String body = send(HttpRequest.newBuilder(endpoint.resolve("/_atrest/requests")).GET().build());
        try {
            return Json.MAPPER.readValue(body, new TypeReference<List<Map<String, Object>>>() {});
        } catch (IOException e) {
            throw new IllegalStateException("bad request log: " + body, e);
        }
    }

    public void clearRequests() {
        send(HttpRequest.newBuilder(endpoint.resolve("/_atrest/requests")).DELETE().build());
    }

    /** Number of requests to {@code service} (SigV4 scope name, e.g. "s3", "kms") since the last clear. */
    public long count(String service) {
        return requests().stream().filter(r -> service.equals(r.get("service"))).count();
    }

    public long count(String service, String operation) {
        return requests().stream()
                .filter(r -> service.equals(r.get("service")) && operation.equals(r.get("operation")))
                .count();
    }

    /** Posts JSON to an extension's admin path (e.g. fault configuration). */
    public String post(String path, String json) {
        return send(HttpRequest.newBuilder(endpoint.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    /** GETs an extension's admin path (e.g. the S3 Batch Operations events). */
    public String get(String path) {
        return send(HttpRequest.newBuilder(endpoint.resolve(path)).GET().build());
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " -> " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("emulator unreachable at " + endpoint + "; its output:\n" + tail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output at " + logFile + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
