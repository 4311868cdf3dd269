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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sample MCP server in a JVM of its own, configured as an operator would behind a TLS proxy: its public https URL
 * as {@code MCP_RESOURCE}, the public issuer, and the proxy's certificate in its trust store. Its own process, so that
 * "Keycloak is down" is what it really sees, not a stub.
 */
public final class SampleServerProcess implements AutoCloseable {

    private final Process process;

    private SampleServerProcess(Process process) {
        this.process = process;
    }

    /** Starts it with {@code settings} (its environment variables) and JVM {@code jvmOptions}; waits until it answers on {@code port}. */
    public static SampleServerProcess start(String classpath, Map<String, String> settings, List<String> jvmOptions, int port, Path log)
            throws IOException, InterruptedException {
        return start(classpath, "dev.keycloakmcp.sample.McpSampleServer", settings, jvmOptions, port, log);
    }

    /**
     * The same with another main class: an MCP server that serves its RFC 9728 metadata at
     * {@code /.well-known/oauth-protected-resource/mcp} (what tells that it is up).
     */
    public static SampleServerProcess start(String classpath, String mainClass, Map<String, String> settings, List<String> jvmOptions,
            int port, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, mainClass));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(settings);
        SampleServerProcess sample = new SampleServerProcess(builder.start());
        Runtime.getRuntime().addShutdownHook(new Thread(sample::close, "sample-stop-on-exit"));
        HttpClient http = HttpClient.newHttpClient();
        URI probe = URI.create("http://127.0.0.1:" + port + "/.well-known/oauth-protected-resource/mcp");
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (Instant.now().isBefore(deadline)) {
            if (!sample.process.isAlive()) {
                throw new IllegalStateException("The sample MCP server exited; see " + log + ":\n" + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(probe).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return sample;
                }
            } catch (ConnectException e) {
                // still starting
            }
            Thread.sleep(200);
        }
        sample.close();
        throw new IllegalStateException("The sample MCP server did not answer within a minute; see " + log);
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
