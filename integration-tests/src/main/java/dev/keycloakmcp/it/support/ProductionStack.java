package dev.keycloakmcp.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keycloak as users run it, started by the test suite on one machine without Docker: PostgreSQL; the distribution
 * built with the pack by the deployment guide's recipe; two nodes in production mode ({@code start --optimized})
 * clustered over loopback, each with TLS and {@code --hostname} set to the public URL; nginx in front ending TLS and
 * alternating the nodes on every request; the sample MCP server behind the same proxy, pointed at the public issuer.
 * The realm is imported with {@code kc.sh import} before the nodes start, as the guide says.
 */
public final class ProductionStack implements KeycloakRuntime {

    public static final String REALM = "mcp";

    /** What a stack is started with. */
    public record Settings(Path dir, Path distribution, Path packDir, Path realmFile, Path guide, String sampleClasspath,
            int reaperIntervalSeconds, List<String> extraNodeOptions) {

        /** The settings the build passes to tests and benchmarks as system properties, with the stack in {@code target/prodstack}. */
        public static Settings fromSystemProperties(int reaperIntervalSeconds, List<String> extraNodeOptions) {
            Path home = Path.of(required("keycloak.home"));
            return new Settings(home.getParent().getParent().resolve("prodstack"), home, Path.of(required("keycloak.pack.dir")),
                    Path.of(required("realm.file")), Path.of(required("production.guide")), required("mcp.sample.classpath"),
                    reaperIntervalSeconds, extraNodeOptions);
        }

        private static String required(String property) {
            String value = System.getProperty(property);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("System property " + property + " is not set (the build sets it)");
            }
            return value;
        }
    }

    private final Settings settings;
    private final LocalCertificate certificate;
    private final PostgresServer postgres;
    private final List<KeycloakNode> nodes;
    private final ReverseProxy proxy;
    private final McpServerProcess sample;
    private final String publicUrl;
    private final String resource;

    private ProductionStack(Settings settings, LocalCertificate certificate, PostgresServer postgres, List<KeycloakNode> nodes,
            ReverseProxy proxy, McpServerProcess sample, String publicUrl, String resource) {
        this.settings = settings;
        this.certificate = certificate;
        this.postgres = postgres;
        this.nodes = nodes;
        this.proxy = proxy;
        this.sample = sample;
        this.publicUrl = publicUrl;
        this.resource = resource;
    }

    public static ProductionStack start(Settings settings) throws Exception {
        if (!ReverseProxy.installed()) {
            throw new IllegalStateException("nginx is not installed: apt-get install -y nginx (.ci/run does it)");
        }
        Path dir = Files.createDirectories(settings.dir());
        List<AutoCloseable> started = new ArrayList<>();
        try {
            Instant begin = Instant.now();
            LocalCertificate certificate = LocalCertificate.create(dir.resolve("tls"), "stack");
            certificate.trustInThisJvm();
            KeycloakDistribution.deleteRecursively(dir.resolve("postgres"));
            PostgresServer postgres = PostgresServer.start(dir.resolve("postgres"), dir.resolve("postgres.log"));
            started.add(postgres);
            String jdbcUrl = postgres.createDatabase("keycloak");
            ProductionBuild build = ProductionBuild.build(settings.distribution(), settings.packDir(),
                    ProductionBuild.recipeOptions(settings.guide()), dir.resolve("build/keycloak"), dir.resolve("build.log"));
            log("PostgreSQL up and Keycloak built in %s", Duration.between(begin, Instant.now()));

            int proxyPort = KeycloakDistribution.freePort();
            int mcpPort = KeycloakDistribution.freePort();
            int samplePort = KeycloakDistribution.freePort();
            String publicUrl = "https://localhost:" + proxyPort;
            String resource = "https://localhost:" + mcpPort + "/mcp";
            Map<String, String> database = Map.of("KC_DB_URL", jdbcUrl, "KC_DB_USERNAME", PostgresServer.USER, "KC_DB_PASSWORD", "unused");

            List<KeycloakNode> nodes = new ArrayList<>();
            for (int n = 1; n <= 2; n++) {
                KeycloakNode node = KeycloakNode.onLoopback("node" + n, build.nodeHome(dir.resolve("node" + n)),
                        dir.resolve("node" + n + ".log"), certificate, database, http -> {
                            List<String> options = new ArrayList<>(List.of(
                                    "--hostname=" + publicUrl,
                                    "--proxy-headers=xforwarded",
                                    "--proxy-trusted-addresses=127.0.0.1",
                                    SpiOption.REAPER_INTERVAL.withValue(settings.reaperIntervalSeconds()),
                                    // The reaper says at debug level when it looks for unused clients: tests count its runs.
                                    "--log-level=INFO,dev.keycloakmcp.housekeeping:debug"));
                            options.addAll(settings.extraNodeOptions());
                            return options;
                        });
                nodes.add(node);
                started.add(node);
            }
            Instant imported = Instant.now();
            importRealm(nodes.get(0), settings.realmFile(), database, resource, dir.resolve("import.log"));
            log("Realm imported in %s", Duration.between(imported, Instant.now()));

            Instant clustered = Instant.now();
            for (KeycloakNode node : nodes) {
                node.start();
            }
            for (KeycloakNode node : nodes) {
                node.awaitReady(nodes.size());
            }
            log("Two nodes ready in a cluster of two in %s", Duration.between(clustered, Instant.now()));

            ReverseProxy proxy = ReverseProxy.start(dir.resolve("nginx"), certificate, proxyPort,
                    nodes.stream().map(KeycloakNode::httpPort).toList(), ReverseProxy.guideLocation(settings.guide()), mcpPort, samplePort);
            started.add(proxy);
            Map<String, String> sampleSettings = Map.of("MCP_ISSUER", publicUrl + "/realms/" + REALM, "MCP_RESOURCE", resource,
                    "MCP_PORT", String.valueOf(samplePort), "MCP_HOST", "127.0.0.1");
            McpServerProcess sample = McpServerProcess.startSample(settings.sampleClasspath(), sampleSettings,
                    certificate.trustStoreOptions(), samplePort, dir.resolve("sample.log"));
            started.add(sample);
            log("Production-shape stack up in %s: %s, MCP server %s", Duration.between(begin, Instant.now()), publicUrl, resource);
            return new ProductionStack(settings, certificate, postgres, nodes, proxy, sample, publicUrl, resource);
        } catch (Exception | Error e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The guide's import step: {@code kc.sh import --optimized} into the empty database, which also creates the bootstrap admin. */
    public static void importRealm(KeycloakNode node, Path realmFile, Map<String, String> database, String resource, Path log)
            throws IOException, InterruptedException {
        Path home = node.home();
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "import", "--optimized",
                "--file=" + realmFile, "--override=false", "--http-management-port=" + KeycloakDistribution.freePort())
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.putAll(database);
        env.put("MCP_SAMPLE_RESOURCE", resource);
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", KeycloakDistribution.ADMIN_USERNAME);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", KeycloakDistribution.ADMIN_PASSWORD);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("kc.sh import failed; see " + log);
        }
    }

    private static void log(String format, Object... args) {
        System.out.printf("[production stack] " + format + "%n", args);
    }

    /** The public URL clients use, e.g. {@code https://localhost:18443}. */
    @Override
    public String baseUrl() {
        return publicUrl;
    }

    /** The first node's management interface: metrics are per node ({@link KeycloakNode#managementUrl()} for each). */
    @Override
    public String managementUrl() {
        return nodes.get(0).managementUrl();
    }

    public String issuer() {
        return issuer(REALM);
    }

    /** The sample MCP server's public URL (its canonical resource URL). */
    public String mcpUrl() {
        return resource;
    }

    public List<KeycloakNode> nodes() {
        return nodes;
    }

    public KeycloakNode node(int number) {
        return nodes.get(number - 1);
    }

    /** The node whose HTTP port is in nginx's {@code X-Upstream} value (the last one tried). */
    public KeycloakNode nodeAt(String upstream) {
        String last = upstream.substring(upstream.lastIndexOf(',') + 1).trim();
        int port = Integer.parseInt(last.substring(last.lastIndexOf(':') + 1));
        return nodes.stream().filter(node -> node.httpPort() == port).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No node at " + upstream));
    }

    /** The certificate of every https URL of the stack (test-only, self-signed). */
    public LocalCertificate certificate() {
        return certificate;
    }

    public Path accessLog() {
        return proxy.accessLog();
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Brings every stopped node back, one at a time (a node that starts while JDBC_PING lists only dead members waits
     * for them first; two such nodes would each form a cluster of one), until all are up in one cluster.
     */
    public void restoreCluster() throws IOException, InterruptedException {
        int running = (int) nodes.stream().filter(KeycloakNode::isRunning).count();
        for (KeycloakNode node : nodes) {
            if (!node.isRunning()) {
                node.start();
                node.awaitReady(++running);
            }
        }
        for (KeycloakNode node : nodes) {
            node.awaitReady(nodes.size());
        }
        // Every node back in the proxy, and nginx's memory of failed attempts (a node skipped for some seconds) gone.
        proxy.restoreAll();
    }

    /**
     * One step of a rolling restart, as the guide describes it: the node out of the proxy, stopped ({@code SIGTERM}),
     * started, ready in the cluster, back in the proxy.
     */
    public void restartGracefully(KeycloakNode node) throws IOException, InterruptedException {
        proxy.drain(node.httpPort());
        try {
            node.stop();
            node.start();
            node.awaitReady(nodes.size());
        } finally {
            proxy.restore(node.httpPort());
        }
    }

    @Override
    public List<String> logLines(String text) {
        List<String> lines = new ArrayList<>();
        for (KeycloakNode node : nodes) {
            node.logLines().stream().filter(line -> line.contains(text)).map(line -> node.name() + ": " + line).forEach(lines::add);
        }
        return lines;
    }

    @Override
    public void close() {
        List<AutoCloseable> parts = new ArrayList<>(List.of(sample, proxy));
        parts.addAll(nodes);
        parts.add(postgres);
        IllegalStateException failure = null;
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Could not stop every part of the production stack");
                }
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
