package dev.keycloakmcp.it;

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

    final KeycloakRuntime keycloak;
    final McpSampleServer sample;

    private McpStack(KeycloakRuntime keycloak, McpSampleServer sample) {
        this.keycloak = keycloak;
        this.sample = sample;
    }

    static McpStack start() throws Exception {
        int samplePort = KeycloakRuntimes.freePort();
        String resource = "http://localhost:" + samplePort + "/mcp";
        KeycloakRuntime keycloak = KeycloakRuntimes.start(Map.of("MCP_SAMPLE_RESOURCE", resource));
        try {
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
