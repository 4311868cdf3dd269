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
import java.util.function.IntPredicate;

/**
 * An MCP server in a JVM of its own, started as an operator starts it (a class path and main class, or a jar) and
 * configured by its environment: the sample server behind the production stack's TLS proxy (so that "Keycloak is down"
 * is what it really sees, not a stub), the Spring AI and Quarkus samples, the benchmark's servers.
 */
public final class McpServerProcess implements AutoCloseable {

    /** The sample server's, and the library's, metadata path for a resource at {@code /mcp}: what tells that it is up. */
    public static final String METADATA_PATH = "/.well-known/oauth-protected-resource/mcp";

    private final String name;
    private final Process process;
    private final Path log;

    private McpServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java <javaArguments>} with {@code settings} added to its environment, its output to {@code log};
     * {@link #awaitReady} waits for it. Stopped when this JVM exits, if not before.
     */
    public static McpServerProcess launch(String name, List<String> javaArguments, Map<String, String> settings, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(javaArguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(settings);
        McpServerProcess server = new McpServerProcess(name, builder.start(), log);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, name + "-stop-on-exit"));
        return server;
    }

    /** The sample server (or another main class serving {@link #METADATA_PATH}), started and answering on {@code port}. */
    public static McpServerProcess start(String classpath, String mainClass, Map<String, String> settings, List<String> jvmOptions,
            int port, Path log) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("-Xmx256m"));
        arguments.addAll(jvmOptions);
        arguments.addAll(List.of("-cp", classpath, mainClass));
        McpServerProcess server = launch(mainClass.substring(mainClass.lastIndexOf('.') + 1), arguments, settings, log);
        server.awaitReady(URI.create("http://127.0.0.1:" + port + METADATA_PATH), status -> status == 200, Duration.ofMinutes(1));
        return server;
    }

    /** The sample MCP server, as {@link #start(String, String, Map, List, int, Path)}. */
    public static McpServerProcess startSample(String classpath, Map<String, String> settings, List<String> jvmOptions, int port, Path log)
            throws IOException, InterruptedException {
        return start(classpath, "dev.keycloakmcp.sample.McpSampleServer", settings, jvmOptions, port, log);
    }

    /**
     * Waits until {@code probe} answers with a status {@code ready} accepts; how long that took. Fails with the log
     * when the process exits or the time is up.
     */
    public Duration awaitReady(URI probe, IntPredicate ready, Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant begin = Instant.now();
        while (Duration.between(begin, Instant.now()).compareTo(timeout) < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited; see " + log + ":\n" + Files.readString(log));
            }
            try {
                if (ready.test(http.send(HttpRequest.newBuilder(probe).build(), HttpResponse.BodyHandlers.discarding()).statusCode())) {
                    return Duration.between(begin, Instant.now());
                }
            } catch (ConnectException e) {
                // still starting
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException(name + " did not answer within " + timeout + "; see " + log);
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
