package dev.keycloakmcp.it.support;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Spring AI sample MCP server (module mcp-server-spring-sample), its executable jar started as an operator starts
 * it: {@code java -jar}, configured by environment variables. Its jar's path comes from the build
 * ({@code mcp.spring.sample.jar}).
 */
public final class SpringSampleProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final URI probe;

    private SpringSampleProcess(Process process, Path log, URI probe) {
        this.process = process;
        this.log = log;
        this.probe = probe;
    }

    /** Starts it with {@code settings} (its environment variables) on {@code port}; {@link #awaitReady} waits for it. */
    public static SpringSampleProcess start(Map<String, String> settings, int port, Path log) throws IOException {
        Path jar = Path.of(System.getProperty("mcp.spring.sample.jar", "mcp.spring.sample.jar is not set"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No Spring sample jar at " + jar + ": build it first (./mvnw install -DskipTests)");
        }
        // C1 only and one GC thread: it starts about a third faster on a busy 2-core machine, and it serves a few requests.
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(settings);
        builder.environment().put("MCP_PORT", String.valueOf(port));
        SpringSampleProcess server = new SpringSampleProcess(builder.start(), log,
                URI.create("http://127.0.0.1:" + port + "/.well-known/oauth-protected-resource/mcp"));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "spring-sample-stop-on-exit"));
        return server;
    }

    /** Waits until it serves its metadata (its port opens only once its introspection check at startup passed). */
    public Duration awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant begin = Instant.now();
        while (Duration.between(begin, Instant.now()).compareTo(timeout) < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The Spring sample MCP server exited; see " + log + ":\n" + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(probe).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.between(begin, Instant.now());
                }
            } catch (ConnectException e) {
                // still starting
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("The Spring sample MCP server did not answer within " + timeout + "; see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
