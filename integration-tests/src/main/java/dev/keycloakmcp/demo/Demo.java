package dev.keycloakmcp.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.keycloakmcp.bench.AdminApi;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.SpiOption;
import dev.keycloakmcp.sample.McpSampleServer;
import dev.keycloakmcp.sample.SampleServerConfig;
import dev.keycloakmcp.sample.downstream.DownstreamApi;
import dev.keycloakmcp.sample.downstream.DownstreamApiConfig;

/**
 * {@code ./mvnw -Pdemo}: Keycloak on http://localhost:8080 with the pack and the {@code mcp} realm, and the
 * sample MCP server on http://localhost:3000/mcp, with the sample downstream API its {@code downstream_profile} tool
 * calls as the user on http://localhost:3001/api/profile. Ctrl-C (or SIGTERM) stops them all.
 */
public final class Demo {

    static final int KEYCLOAK_PORT = 8080;
    static final int MANAGEMENT_PORT = 9000;
    static final int MCP_PORT = 3000;
    /** The sample downstream API (docs/on-behalf-of.md): the realm knows it as http://localhost:3001/api. */
    static final int DOWNSTREAM_PORT = 3001;
    /** The sample server's /metrics, apart from its MCP port as Keycloak's are on 9000 (MCP_METRICS_PORT changes it). */
    static final int SAMPLE_METRICS_PORT = 9001;
    static final String LOCAL_DOCUMENTS = "MCP_ALLOW_LOCAL_DOCUMENTS";

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        for (int port : new int[] {KEYCLOAK_PORT, MANAGEMENT_PORT, MCP_PORT, DOWNSTREAM_PORT}) {
            requireFree(port);
        }
        Path home = Path.of(System.getProperty("keycloak.home"));
        Path log = home.getParent().resolve("keycloak-demo.log");
        String resource = "http://localhost:" + MCP_PORT + "/mcp";

        System.out.println("Starting Keycloak " + home.getFileName() + " on http://localhost:" + KEYCLOAK_PORT + " (log: " + log + ") ...");
        // MCP_ALLOW_LOCAL_DOCUMENTS=true: Client ID Metadata Documents may be served from this computer (development only).
        boolean localDocuments = Boolean.parseBoolean(System.getenv(LOCAL_DOCUMENTS));
        // Metrics on: curl http://localhost:9000/metrics shows Keycloak's and the pack's (keycloak_mcp_…).
        List<String> options = new ArrayList<>(List.of(KeycloakDistribution.METRICS));
        if (localDocuments) {
            options.add(SpiOption.LOOPBACK_DOCUMENTS.withValue(true));
        }
        KeycloakDistribution keycloak = KeycloakDistribution.start(home, Path.of(System.getProperty("keycloak.pack.dir")),
                Path.of(System.getProperty("realm.file")), KEYCLOAK_PORT, MANAGEMENT_PORT,
                Map.of("MCP_SAMPLE_RESOURCE", resource), options, log);
        McpSampleServer mcp;
        DownstreamApi downstream;
        try {
            // The master realm's admin console with the pack's "MCP access" page (docs/admin.md), as an operator sets it.
            new AdminApi(keycloak).updateRealm("master", Map.of("adminTheme", "mcp"));
            // The sample server's other settings (cache, timeouts, scopes) can be changed with its environment variables.
            Map<String, String> settings = new HashMap<>(System.getenv());
            settings.putAll(Map.of("MCP_ISSUER", keycloak.issuer("mcp"), "MCP_RESOURCE", resource, "MCP_PORT", String.valueOf(MCP_PORT)));
            settings.putIfAbsent("MCP_METRICS_PORT", String.valueOf(SAMPLE_METRICS_PORT));
            downstream = DownstreamApi.start(DownstreamApiConfig.fromEnvironment(new String[0], Map.of("DOWNSTREAM_ISSUER",
                    keycloak.issuer("mcp"), "DOWNSTREAM_PORT", String.valueOf(DOWNSTREAM_PORT))));
            mcp = McpSampleServer.start(SampleServerConfig.fromEnvironment(new String[0], settings));
        } catch (Exception | Error e) {
            keycloak.close();
            throw e;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping the MCP server, the downstream API and Keycloak ...");
            try {
                mcp.close();
            } catch (Exception e) {
                System.err.println("MCP server: " + e.getMessage());
            }
            try {
                downstream.close();
            } catch (Exception e) {
                System.err.println("Downstream API: " + e.getMessage());
            }
            keycloak.close();
            stopped.countDown();
        }, "keycloak-mcp-demo-shutdown"));

        System.out.println("""

                keycloak-mcp demo is ready.

                  MCP server (paste this into your MCP client):  %s
                  Claude Code:   claude mcp add --transport http keycloak-mcp-demo %s
                  VS Code:       "servers": { "keycloak-mcp-demo": { "type": "http", "url": "%s" } }
                  MCP Inspector: npx @modelcontextprotocol/inspector  (Transport: Streamable HTTP, URL above)

                  Sign in as alice / alice (demo-only credentials).
                  Keycloak admin console: %s/admin  (admin / admin, demo-only; realm mcp → MCP access)
                  Realm: mcp  ·  issuer %s
                  Client ID Metadata Documents: on (from public https hosts%s)
                  Metrics: http://localhost:%d/metrics (Keycloak's, keycloak_mcp_…), http://localhost:%d/metrics (the MCP server's)
                  On-behalf-of: the tool downstream_profile calls http://localhost:%d/api/profile as alice (token exchange)

                Press Ctrl-C to stop.
                """.formatted(resource, resource, resource, keycloak.baseUrl(), keycloak.issuer("mcp"),
                localDocuments ? ", and from this computer: " + LOCAL_DOCUMENTS + "=true" : "", MANAGEMENT_PORT,
                mcp.metricsPort().orElse(0), DOWNSTREAM_PORT));
        stopped.await();
    }

    private static void requireFree(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " is in use: stop whatever listens there and run the demo again");
        }
    }

}
