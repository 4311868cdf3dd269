package dev.keycloakmcp.sample.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keycloakmcp.sample.McpSampleServer;
import dev.keycloakmcp.sample.SampleServerConfig;

/** When Keycloak cannot be asked, nobody gets in and nothing hangs: the MCP endpoint answers 503. */
class FailClosedTest {

    @Test
    void unreachableIntrospectionEndpointMeans503() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SampleServerConfig config = SampleServerConfig.fromEnvironment(new String[0], Map.of("MCP_PORT", "0",
                "MCP_RESOURCE", "http://localhost:3000/mcp",
                "MCP_INTROSPECTION_URL", "http://localhost:" + closedPort + "/realms/mcp/protocol/openid-connect/token/introspect"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        TokenVerifier unreachable = new TokenVerifier(new TokenIntrospector(config, config.introspection().endpoint(), http),
                config.introspection());

        try (McpSampleServer server = McpSampleServer.start(config, unreachable)) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/mcp"))
                    .header("Authorization", "Bearer some-token")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .timeout(Duration.ofSeconds(20))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, response.statusCode());
            assertTrue(response.headers().firstValue("Retry-After").isPresent());
            assertTrue(response.body().contains("temporarily_unavailable"), response.body());

            HttpResponse<String> metadata = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + server.port() + "/.well-known/oauth-protected-resource/mcp")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metadata.statusCode());
            assertTrue(metadata.body().contains("\"resource\":\"http://localhost:3000/mcp\""), metadata.body());
        }
    }
}
