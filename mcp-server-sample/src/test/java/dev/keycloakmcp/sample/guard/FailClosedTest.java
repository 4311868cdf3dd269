package dev.keycloakmcp.sample.guard;

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

import dev.keycloakmcp.resourceserver.StubAuthorizationServer;
import dev.keycloakmcp.sample.McpSampleServer;
import dev.keycloakmcp.sample.SampleServerConfig;

/**
 * When Keycloak cannot be asked, nobody gets in and nothing hangs: the MCP endpoint answers 503 to a token that
 * needs Keycloak's answer, and still 401 to one the server refuses by itself.
 */
class FailClosedTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void unreachableIntrospectionEndpointMeans503() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            SampleServerConfig config = SampleStub.config(keycloak, Map.of("MCP_PORT", "0", "MCP_RESOURCE", "http://localhost:3000/mcp",
                    "MCP_INTROSPECTION_URL", "http://localhost:" + closedPort + "/realms/mcp/protocol/openid-connect/token/introspect"));
            try (McpSampleServer server = SampleStub.start(keycloak, config)) {
                HttpResponse<String> response = post(server, StubAuthorizationServer.token());
                assertEquals(503, response.statusCode());
                assertTrue(response.headers().firstValue("Retry-After").isPresent());
                assertTrue(response.body().contains("temporarily_unavailable"), response.body());

                assertEquals(401, post(server, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln").statusCode(), "refused without asking Keycloak");

                HttpResponse<String> metadata = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + server.port() + "/.well-known/oauth-protected-resource/mcp")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, metadata.statusCode());
                assertTrue(metadata.body().contains("\"resource\":\"http://localhost:3000/mcp\""), metadata.body());
            }
        }
    }

    private HttpResponse<String> post(McpSampleServer server, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/mcp"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
