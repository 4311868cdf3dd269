package dev.keycloakmcp.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Keycloak from its Maven Central distribution, started with {@code kc.sh start-dev} (embedded H2): the pack's
 * jars go to {@code providers/}, the realm to {@code data/import/}. Each start begins from an empty database so
 * that the realm file is what you get.
 */
public final class KeycloakDistribution implements KeycloakRuntime {

    /** Demo-only bootstrap admin of the master realm; the dev server listens on loopback only. */
    public static final String ADMIN_USERNAME = "admin";
    public static final String ADMIN_PASSWORD = "admin";

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final String PACK_PREFIX = "keycloak-mcp-";
    /** How Keycloak logs a request it answered with a 5xx. */
    static final String SERVER_ERROR = "Uncaught server error";
    /** Keycloak's metrics, the pack's among them, at the management port's {@code /metrics} (tests and the demo). */
    public static final String METRICS = "--metrics-enabled=true";

    private final Process process;
    private final String baseUrl;
    private final String managementUrl;
    private final Path log;
    /** Stops Keycloak if the JVM ends without {@link #close()}, so that no server outlives its test run or demo. */
    private final Thread stopOnExit;

    private KeycloakDistribution(Process process, String baseUrl, String managementUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.managementUrl = managementUrl;
        this.log = log;
        this.stopOnExit = new Thread(this::stop, "keycloak-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * @param home         unpacked distribution ({@code keycloak-<version>})
     * @param packDir      folder holding the pack's jars (providers and theme)
     * @param realmFile    realm import JSON
     * @param httpPort     HTTP port on 127.0.0.1
     * @param managementPort management (health) port
     * @param environment  extra environment, e.g. placeholders used by the realm file
     * @param options      extra server options, e.g. {@code --spi-…} settings ({@link SpiOption})
     * @param log          where Keycloak's console output goes
     */
    public static KeycloakDistribution start(Path home, Path packDir, Path realmFile, int httpPort, int managementPort,
            Map<String, String> environment, List<String> options, Path log) throws IOException, InterruptedException {
        install(home, packDir, realmFile);
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start-dev", "--import-realm",
                "--http-host=127.0.0.1", "--http-port=" + httpPort, "--http-management-port=" + managementPort));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.putAll(environment);
        Process process = builder.start();
        KeycloakDistribution keycloak = new KeycloakDistribution(process, "http://localhost:" + httpPort, "http://localhost:" + managementPort, log);
        try {
            keycloak.awaitRealm("mcp");
        } catch (IOException | RuntimeException | Error | InterruptedException e) {
            keycloak.close();
            throw e;
        }
        return keycloak;
    }

    /** Copies the pack and realm into the distribution, replacing an earlier copy, and empties the database. */
    static void install(Path home, Path packDir, Path realmFile) throws IOException {
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at " + home + ": run the build first (./mvnw package)");
        }
        Path providers = home.resolve("providers");
        try (Stream<Path> old = Files.list(providers)) {
            for (Path jar : old.filter(p -> p.getFileName().toString().startsWith(PACK_PREFIX)).toList()) {
                Files.delete(jar);
            }
        }
        try (Stream<Path> jars = Files.list(packDir)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.copy(jar, providers.resolve(jar.getFileName()));
            }
        }
        deleteRecursively(home.resolve("data"));
        Path importDir = Files.createDirectories(home.resolve("data/import"));
        Files.copy(realmFile, importDir.resolve(realmFile.getFileName()));
    }

    /** A port nobody listens on right now, for a server started by a test or the benchmark. */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitRealm(String realm) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        // Keycloak's own realm endpoint, not the pack's discovery: on a Keycloak line the pack does not fully support,
        // the server and its realm are still up, and a failing pack endpoint is for the tests to report.
        URI probe = URI.create(issuer(realm));
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see " + log + ":\n" + tail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (ConnectException | java.net.http.HttpTimeoutException e) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Keycloak did not serve realm '" + realm + "' within " + START_TIMEOUT + "; see " + log + ":\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public List<String> logLines(String text) {
        try {
            return Files.readAllLines(log).stream().filter(line -> line.contains(text)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public String managementUrl() {
        return managementUrl;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs (or ran) anyway
        }
        stop();
    }

    private void stop() {
        // kc.sh execs java, but stop its children too in case a wrapper stays in between.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
