package dev.keycloakmcp.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.KeycloakNode;
import dev.keycloakmcp.it.support.LocalCertificate;
import dev.keycloakmcp.it.support.PostgresServer;
import dev.keycloakmcp.it.support.ProductionBuild;
import dev.keycloakmcp.it.support.ProductionStack;

/**
 * {@code ./mvnw -Pbench-prod}: the pack in production shape (PostgreSQL, the deployment guide's {@code kc.sh build},
 * {@code start --optimized}, realms imported with {@code kc.sh import --optimized}).
 * <ol>
 * <li><b>tokens</b>: {@link TokenEndpointComparison} of one pack node against one stock node (same build options, no
 * jars), each with its own database on one PostgreSQL, both on plain HTTP on loopback (no proxy, no TLS in the
 * path).</li>
 * <li><b>handshake</b>: a whole {@link McpHandshake} of a new client on a warm {@link ProductionStack} (two nodes,
 * nginx with TLS alternating them, the sample MCP server behind it), per step, with password hashing made cheap for
 * the measured user, and the default hashing's cost measured on its own.</li>
 * </ol>
 * {@code -Dbench.parts=tokens,handshake} chooses the parts; the token comparison takes {@link TokenEndpointComparison}'s
 * knobs, the handshake {@code -Dbench.handshakes=50 -Dbench.handshake.warmup=20 -Dbench.hashing.handshakes=20}.
 */
public final class ProductionBenchmark {

    static final Set<String> PARTS = Set.of(System.getProperty("bench.parts", "tokens,handshake").split(","));
    static final int HANDSHAKES = Integer.getInteger("bench.handshakes", 50);
    static final int HANDSHAKE_WARM_UP = Integer.getInteger("bench.handshake.warmup", 20);
    static final int HASHING_HANDSHAKES = Integer.getInteger("bench.hashing.handshakes", 20);
    /** Makes the measured user's password check nearly free: one PBKDF2 round instead of the realm's default hashing. */
    static final String CHEAP_HASHING = "hashAlgorithm(pbkdf2-sha256) and hashIterations(1)";
    static final String BENCH_USER = "bench";

    private ProductionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ProductionStack.Settings settings = settings();
        if (PARTS.contains("tokens")) {
            tokens(settings);
        }
        if (PARTS.contains("handshake")) {
            handshake(settings);
        }
    }

    /** The build's system properties; everything under {@code target/bench-prod}, the pack build shared by both parts. */
    private static ProductionStack.Settings settings() {
        ProductionStack.Settings tests = ProductionStack.Settings.fromSystemProperties(3600, List.of());
        return new ProductionStack.Settings(tests.dir().resolveSibling("bench-prod"), tests.distribution(), tests.packDir(), tests.realmFile(),
                tests.guide(), tests.sampleClasspath(), tests.reaperIntervalSeconds(), tests.extraNodeOptions());
    }

    private static void tokens(ProductionStack.Settings settings) throws Exception {
        Path dir = Files.createDirectories(settings.dir().resolve("tokens"));
        TokenEndpointComparison.RealmFiles realms = TokenEndpointComparison.RealmFiles.write(settings.realmFile(), dir);
        // The certificate only serves the nodes' management interface (KeycloakNode probes it over https); the
        // benchmark talks plain HTTP to each node.
        LocalCertificate certificate = LocalCertificate.create(dir.resolve("tls"), "bench");
        certificate.trustInThisJvm();
        List<String> options = ProductionBuild.recipeOptions(settings.guide());
        System.out.println("Building Keycloak with the pack and without it: kc.sh build " + String.join(" ", options));
        ProductionBuild packBuild = ProductionBuild.build(settings.distribution(), settings.packDir(), options,
                settings.dir().resolve("build/keycloak"), dir.resolve("build-pack.log"));
        ProductionBuild stockBuild = ProductionBuild.build(settings.distribution(), null, options,
                settings.dir().resolve("build/keycloak-stock"), dir.resolve("build-stock.log"));
        KeycloakDistribution.deleteRecursively(dir.resolve("postgres"));
        try (PostgresServer postgres = PostgresServer.start(dir.resolve("postgres"), dir.resolve("postgres.log"))) {
            KeycloakNode pack = node("pack", packBuild, postgres.createDatabase("pack"), realms.pack(), certificate, dir);
            KeycloakNode stock = node("stock", stockBuild, postgres.createDatabase("stock"), realms.stock(), certificate, dir);
            try (pack; stock) {
                System.out.println("Starting one node with the pack and one without it (start --optimized) ...");
                pack.start();
                stock.start();
                pack.awaitReady(1);
                stock.awaitReady(1);
                TokenEndpointComparison.run(TokenEndpointComparison.Server.pack(pack.httpUrl().replace("127.0.0.1", "localhost") + "/realms/mcp"),
                        TokenEndpointComparison.Server.stock(stock.httpUrl().replace("127.0.0.1", "localhost") + "/realms/mcp"));
                System.out.println("Production mode on PostgreSQL, one node each, plain HTTP on loopback (no proxy, no TLS).");
            }
        }
    }

    /** A node of {@code build} on its own database, with {@code realmFile} imported the guide's way; not started. */
    private static KeycloakNode node(String name, ProductionBuild build, String jdbcUrl, Path realmFile, LocalCertificate certificate, Path dir)
            throws Exception {
        Map<String, String> database = Map.of("KC_DB_URL", jdbcUrl, "KC_DB_USERNAME", PostgresServer.USER, "KC_DB_PASSWORD", "unused");
        Map<String, String> environment = new HashMap<>(database);
        environment.putAll(TokenEndpointComparison.profiling(name));
        KeycloakNode node = KeycloakNode.onLoopback(name, build.nodeHome(dir.resolve(name)), dir.resolve(name + ".log"), certificate,
                environment, http -> List.of("--hostname=http://localhost:" + http));
        ProductionStack.importRealm(node, realmFile, database, TokenEndpointComparison.RESOURCE, dir.resolve(name + "-import.log"));
        return node;
    }

    private static void handshake(ProductionStack.Settings settings) throws Exception {
        try (ProductionStack stack = ProductionStack.start(settings)) {
            AdminApi admin = new AdminApi(stack);
            // Every handshake registers a client from this machine: the limit stays on (its counting is part of a
            // registration) but high enough for the run.
            admin.setRegistrationPolicy("registrations-per-minute", "100000");
            admin.setRegistrationPolicy("max-mcp-clients", "100000");
            String mcpUrl = stack.mcpUrl();
            System.out.printf(Locale.ROOT, "Handshakes on %s: %d warm-up, %d with the realm's default hashing (alice), %d measured (%s)%n",
                    mcpUrl, HANDSHAKE_WARM_UP, HASHING_HANDSHAKES, HANDSHAKES, BENCH_USER);
            for (int i = 0; i < HANDSHAKE_WARM_UP; i++) {
                McpHandshake.run(mcpUrl, "alice", "alice");
            }
            String aliceHashing = hashing(admin, "alice");
            List<long[]> withHashing = handshakes(mcpUrl, "alice", "alice", HASHING_HANDSHAKES);

            // Changing the policy first makes Keycloak hash the new user's password with it; alice would be rehashed
            // with it at her next sign-in, so she is not used after this.
            admin.updateRealm(ProductionStack.REALM, Map.of("passwordPolicy", CHEAP_HASHING));
            int created = admin.post("/admin/realms/" + ProductionStack.REALM + "/users", Map.of("username", BENCH_USER, "enabled", true,
                    "email", "bench@example.com", "emailVerified", true, "firstName", "Bench", "lastName", "Mark",
                    "credentials", List.of(Map.of("type", "password", "value", BENCH_USER, "temporary", false))));
            if (created != 201) {
                throw new IllegalStateException("Could not create user " + BENCH_USER + ": " + created);
            }
            for (int i = 0; i < 5; i++) {
                McpHandshake.run(mcpUrl, BENCH_USER, BENCH_USER);
            }
            List<long[]> measured = handshakes(mcpUrl, BENCH_USER, BENCH_USER, HANDSHAKES);

            System.out.println(report("Handshake, password hashing excluded (" + BENCH_USER + ": " + hashing(admin, BENCH_USER) + ")",
                    measured));
            System.out.println(report("Handshake with the realm's default password hashing (alice: " + aliceHashing + ")", withHashing));
            int signIn = McpHandshake.Step.SIGN_IN.ordinal();
            System.out.printf(Locale.ROOT, "default hashing, one sign-in: sign-in POST p50 %.1f ms (alice) - %.1f ms (%s) = %.1f ms%n",
                    percentile(withHashing, signIn, 50), percentile(measured, signIn, 50), BENCH_USER,
                    percentile(withHashing, signIn, 50) - percentile(measured, signIn, 50));
            System.out.printf(Locale.ROOT, "Production stack: PostgreSQL, 2 nodes (start --optimized), nginx with TLS alternating the nodes on "
                    + "every request, the sample MCP server behind nginx; %d handshakes after %d + 5 warm-up.%n", HANDSHAKES, HANDSHAKE_WARM_UP);
            List<String> errors = stack.serverErrors();
            if (!errors.isEmpty()) {
                throw new IllegalStateException("A node answered with a server error: " + errors);
            }
        }
    }

    private static List<long[]> handshakes(String mcpUrl, String username, String password, int count) {
        List<long[]> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(McpHandshake.run(mcpUrl, username, password));
        }
        return all;
    }

    /** How Keycloak stored the user's password: algorithm and iterations of the credential (Users → Credentials). */
    private static String hashing(AdminApi admin, String username) {
        String users = "/admin/realms/" + ProductionStack.REALM + "/users";
        Object id = admin.list(users + "?exact=true&username=" + username).get(0).get("id");
        Map<String, Object> credential = admin.list(users + "/" + id + "/credentials").get(0);
        Map<String, Object> data = Json.object((String) credential.get("credentialData"));
        return data.get("algorithm") + ", " + data.get("hashIterations") + " iteration(s)";
    }

    /** p50 and p90 per step and of the whole handshake (its steps added up), in milliseconds. */
    private static String report(String title, List<long[]> handshakes) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%n%s, %d handshakes%n| step | p50 ms | p90 ms |%n| --- | ---: | ---: |%n",
                title, handshakes.size()));
        for (McpHandshake.Step step : McpHandshake.Step.values()) {
            table.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f |%n", step.label, percentile(handshakes, step.ordinal(), 50),
                    percentile(handshakes, step.ordinal(), 90)));
        }
        return table.append(String.format(Locale.ROOT, "| **total** | **%.1f** | **%.1f** |%n", percentile(handshakes, -1, 50),
                percentile(handshakes, -1, 90))).toString();
    }

    /** The {@code p}th percentile (nearest rank) of step {@code step} (-1: the total) over {@code handshakes}, in ms. */
    private static double percentile(List<long[]> handshakes, int step, int p) {
        double[] values = handshakes.stream().mapToDouble(steps -> (step < 0 ? Arrays.stream(steps).sum() : steps[step]) / 1e6).sorted().toArray();
        return values[Math.max(0, (int) Math.ceil(p / 100.0 * values.length) - 1)];
    }
}
