package dev.keycloakmcp.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Keycloak node of the production-shape stack: {@code kc.sh start --optimized} from its own home, on its own
 * loopback ports (HTTP for the proxy, HTTPS, management, JGroups). Nodes started with the same database find each
 * other through Keycloak's default JDBC_PING discovery. {@link #kill()} is a {@code SIGKILL} of the JVM (kc.sh stays
 * its parent), {@link #stop()} a graceful stop; both can be followed by {@link #start()}.
 */
public final class KeycloakNode implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    /** Infinispan's log line for a cluster view, e.g. {@code ISPN000094: Received new cluster view for channel ISPN: [a|1] (2) [a, b]}. */
    private static final Pattern CLUSTER_VIEW = Pattern.compile("ISPN0000(?:94|93).*?cluster view.*?\\|\\d+\\] \\((\\d+)\\)");

    private final String name;
    private final Path home;
    private final Path log;
    private final List<String> options;
    private final Map<String, String> environment;
    private final int httpPort;
    private final int httpsPort;
    private final int managementPort;
    private Process process;
    /** Where this start's output begins in the log (the log is appended to across restarts). */
    private long logOffset;

    private KeycloakNode(String name, Path home, Path log, List<String> options, Map<String, String> environment, int httpPort, int httpsPort,
            int managementPort) {
        this.name = name;
        this.home = home;
        this.log = log;
        this.options = options;
        this.environment = environment;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.managementPort = managementPort;
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, name + "-stop-on-exit"));
    }

    public String name() {
        return name;
    }

    public int httpPort() {
        return httpPort;
    }

    /** This node's own plain-HTTP URL (what the proxy talks to), e.g. {@code http://127.0.0.1:18081}. */
    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** This node's management interface (health, metrics), over HTTPS like the node. */
    public String managementUrl() {
        return "https://localhost:" + managementPort;
    }

    /** This node's own HTTPS URL, e.g. {@code https://localhost:18441}. */
    public String httpsUrl() {
        return "https://localhost:" + httpsPort;
    }

    /**
     * A node on free loopback ports of its own: HTTP (what a proxy talks to), HTTPS with {@code certificate} (which the
     * management interface then uses too), management, and the JGroups port nodes cluster on; then the options
     * {@code options} gives for the chosen HTTP port (e.g. {@code --hostname}).
     */
    public static KeycloakNode onLoopback(String name, Path home, Path log, LocalCertificate certificate, Map<String, String> environment,
            java.util.function.IntFunction<List<String>> options) throws IOException {
        int http = KeycloakDistribution.freePort();
        int https = KeycloakDistribution.freePort();
        int management = KeycloakDistribution.freePort();
        List<String> all = new ArrayList<>(List.of(
                "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + http,
                "--https-port=" + https,
                "--https-certificate-file=" + certificate.certificatePem(),
                "--https-certificate-key-file=" + certificate.keyPem(),
                "--http-management-port=" + management,
                "--cache-embedded-network-bind-address=127.0.0.1",
                "--cache-embedded-network-bind-port=" + jgroupsPort()));
        all.addAll(options.apply(http));
        Files.deleteIfExists(log);
        return new KeycloakNode(name, home, log, all, environment, http, https, management);
    }

    /** A JGroups port whose failure-detection companion (port + 50000, modulo 65536) is free too. */
    private static int jgroupsPort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = KeycloakDistribution.freePort();
            try (java.net.ServerSocket companion = new java.net.ServerSocket((port + 50000) % 65536, 1,
                    java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("No free JGroups port pair");
    }

    Path home() {
        return home;
    }

    public Path log() {
        return log;
    }

    /** Starts the node (not waiting for it). */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start", "--optimized"));
        command.addAll(options);
        logOffset = Files.exists(log) ? Files.size(log) : 0;
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        process = builder.start();
    }

    /** Waits until the management interface reports ready (database, cluster and Keycloak itself) and this node sees {@code clusterSize} members. */
    public void awaitReady(int clusterSize) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI probe = URI.create(managementUrl() + "/health/ready");
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Process current = process;
            if (current == null || !current.isAlive()) {
                throw new IllegalStateException(name + " exited; see " + log + ":\n" + tail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200 && clusterSize().orElse(0) == clusterSize) {
                    return;
                }
            } catch (IOException e) {
                // still starting (refused, timed out, or reset while the interface comes up)
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready with a cluster of " + clusterSize + " within " + START_TIMEOUT + "; see " + log);
    }

    /** The size of the last cluster view this start of the node logged. */
    public Optional<Integer> clusterSize() {
        Integer size = null;
        Matcher matcher = CLUSTER_VIEW.matcher(currentLog());
        while (matcher.find()) {
            size = Integer.valueOf(matcher.group(1));
        }
        return Optional.ofNullable(size);
    }

    /** The output of this start of the node so far. */
    public String currentLog() {
        try {
            String all = Files.readString(log);
            return all.substring((int) Math.min(logOffset, all.length()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole log, every start included. */
    public List<String> logLines() {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process id of the node's JVM (kc.sh's child), e.g. for {@code jstat}. */
    public synchronized long jvmPid() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        return process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .findFirst().map(ProcessHandle::pid).orElse(process.pid());
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@code SIGKILL} of the node's JVM: no shutdown, no goodbye to the cluster, a stale JDBC_PING row left behind. */
    public synchronized void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> jvm = process.descendants().toList();
        jvm.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        // Until the JVM is really gone its listening socket still accepts connections (and then resets them).
        for (ProcessHandle handle : jvm) {
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(name + "'s JVM did not exit after SIGKILL", e);
            }
        }
    }

    /** A graceful stop ({@code SIGTERM}, which kc.sh passes to the JVM), as a rolling restart does. */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                children.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private String tail() {
        List<String> lines = currentLog().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() {
        stop();
    }
}
