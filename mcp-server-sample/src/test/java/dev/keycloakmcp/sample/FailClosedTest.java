package dev.keycloakmcp.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** When Keycloak cannot be asked, nobody gets in and nothing hangs: the MCP endpoint answers 503. */
class FailClosedTest {

    @Test
    void unreachableIntrospectionEndpointMeans503() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SampleServerConfig config = new SampleServerConfig("http://localhost:" + closedPort + "/realms/mcp",
                "http://localhost:3000/mcp", "http://localhost:3000/mcp", "secret", "localhost", 0, "mcp:tools");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        TokenIntrospector unreachable = new TokenIntrospector(config,
                URI.create(config.issuer() + "/protocol/openid-connect/token/introspect"), http);

        try (McpSampleServer server = McpSampleServer.start(config, unreachable)) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/mcp"))
                    .header("Authorization", "Bearer some-token")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .timeout(Duration.ofSeconds(20))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, response.statusCode());
            assertTrue(response.headers().firstValue("Retry-After").isPresent());

            HttpResponse<String> metadata = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + server.port() + "/.well-known/oauth-protected-resource/mcp")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metadata.statusCode());
            assertTrue(metadata.body().contains("\"resource\":\"http://localhost:3000/mcp\""), metadata.body());
        }
    }
}
