package dev.keycloakmcp.it;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtensionContext;

import dev.keycloakmcp.sample.McpSampleServer;
import dev.keycloakmcp.sample.SampleServerConfig;

/**
 * What the integration tests run against, started once per test run: Keycloak with the pack and the
 * {@code mcp} realm, and the sample MCP server registered in that realm.
 */
final class McpStack implements ExtensionContext.Store.CloseableResource {

    static final String REALM = "mcp";
    static final int REAPER_INTERVAL_SECONDS = 2;

    final KeycloakRuntime keycloak;
    final McpSampleServer sample;

    private McpStack(KeycloakRuntime keycloak, McpSampleServer sample) {
        this.keycloak = keycloak;
        this.sample = sample;
    }

    static McpStack start() throws Exception {
        int samplePort = KeycloakDistribution.freePort();
        String resource = "http://localhost:" + samplePort + "/mcp";
        // The reaper runs every few seconds so that its test can wait for it.
        KeycloakRuntime keycloak = KeycloakRuntimes.start(Map.of("MCP_SAMPLE_RESOURCE", resource),
                List.of("--spi-events-listener--mcp-client-usage--reaper-interval=" + REAPER_INTERVAL_SECONDS));
        try {
            // The suite registers many clients from one address: the rate limit is off except in its own test.
            new AdminApi(keycloak).setRegistrationPolicy("registrations-per-minute", "0");
            McpSampleServer sample = McpSampleServer.start(new SampleServerConfig(keycloak.issuer(REALM), resource,
                    resource, SampleServerConfig.DEMO_CLIENT_SECRET, "localhost", samplePort, "mcp:tools"));
            return new McpStack(keycloak, sample);
        } catch (Exception | Error e) {
            keycloak.close();
            throw e;
        }
    }

    String issuer() {
        return keycloak.issuer(REALM);
    }

    String mcpUrl() {
        return sample.config().resource();
    }

    @Override
    public void close() throws Exception {
        try {
            sample.close();
        } finally {
            keycloak.close();
        }
    }
}
