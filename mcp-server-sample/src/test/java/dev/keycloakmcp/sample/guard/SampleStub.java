package dev.keycloakmcp.sample.guard;

import java.util.HashMap;
import java.util.Map;

import dev.keycloakmcp.resourceserver.StubAuthorizationServer;
import dev.keycloakmcp.sample.McpSampleServer;
import dev.keycloakmcp.sample.SampleServerConfig;
import dev.keycloakmcp.sample.metrics.SampleMetrics;

/** The sample server pointed at the library's stand-in authorization server. */
final class SampleStub {

    private SampleStub() {
    }

    /** The sample's defaults with the given settings changed, pointed at {@code keycloak}. */
    static SampleServerConfig config(StubAuthorizationServer keycloak, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(settings);
        env.putIfAbsent("MCP_INTROSPECTION_URL", keycloak.uri().toString());
        env.put("MCP_JWKS_URL", keycloak.jwksUri().toString());
        return SampleServerConfig.fromEnvironment(new String[0], env);
    }

    /** The sample server with the verifier it builds at startup, pointed at {@code keycloak}. */
    static McpSampleServer start(StubAuthorizationServer keycloak, SampleServerConfig config) throws Exception {
        SampleMetrics metrics = new SampleMetrics();
        return McpSampleServer.start(config, keycloak.verifier(config.auth(), metrics), metrics);
    }
}
