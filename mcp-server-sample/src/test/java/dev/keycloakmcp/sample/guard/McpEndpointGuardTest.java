package dev.keycloakmcp.sample.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keycloakmcp.resourceserver.StubAuthorizationServer;
import dev.keycloakmcp.sample.McpSampleServer;
import dev.keycloakmcp.sample.SampleServerConfig;

/**
 * The guard in front of the MCP endpoint, on a running server with a stub introspection endpoint: requests that
 * could make the filter and the MCP SDK read different messages, paths outside the endpoint, and sessions.
 * (Against the real Keycloak: ResourceServerIT and IntrospectionCacheIT.)
 */
class McpEndpointGuardTest {

    private static final long IN_AN_HOUR = Instant.now().getEpochSecond() + 3600;
    private static final String ADD_NOTE = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"add_note\","
            + "\"arguments\":{\"text\":\"X\"}}}";
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

    private final HttpClient http = HttpClient.newHttpClient();

    private static McpSampleServer server(StubAuthorizationServer keycloak, String resource) throws Exception {
        SampleServerConfig config = SampleStub.config(keycloak, Map.of("MCP_PORT", "0", "MCP_RESOURCE", resource));
        return SampleStub.start(keycloak, config);
    }

    private HttpResponse<String> post(McpSampleServer server, String path, String token, String session, byte[] body, String contentType)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                .header("Content-Type", contentType)
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unreadableBodiesAreRefusedNotWavedThrough() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            keycloak.body = StubAuthorizationServer.active(IN_AN_HOUR);
            try (McpSampleServer server = server(keycloak, "http://localhost:3000/mcp")) {
                String t = StubAuthorizationServer.token();
                byte[] invalidUtf8 = ADD_NOTE.getBytes(StandardCharsets.UTF_8);
                invalidUtf8[invalidUtf8.length - 5] = (byte) 0xFF;
                assertEquals(415, post(server, "/mcp", t, null, invalidUtf8, "application/json").statusCode());
                assertEquals(415, post(server, "/mcp", t, null, ADD_NOTE.getBytes(Charset.forName("IBM037")),
                        "application/json; charset=IBM037").statusCode());
                assertEquals(400, post(server, "/mcp", t, null, "{\"method\":".getBytes(StandardCharsets.UTF_8), "application/json").statusCode());
                HttpResponse<String> stepUp = post(server, "/mcp", t, null, ADD_NOTE.getBytes(StandardCharsets.UTF_8),
                        "application/json; charset=utf-8");
                assertEquals(403, stepUp.statusCode(), "a token with only mcp:tools cannot add a note");
            }
        }
    }

    @Test
    void withAResourceUrlWithoutPathEveryPathIsGuarded() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            keycloak.body = StubAuthorizationServer.active(IN_AN_HOUR, "c", "http://localhost:3000");
            try (McpSampleServer server = server(keycloak, "http://localhost:3000/")) {
                for (String path : new String[] {"/", "/foo/", "/mcp", "/.well-known/oauth-protected-resource/"}) {
                    HttpResponse<String> response = post(server, path, null, null, INITIALIZE.getBytes(StandardCharsets.UTF_8), "application/json");
                    assertEquals(401, response.statusCode(), path);
                }
                assertEquals(200, post(server, "/", StubAuthorizationServer.token("http://localhost:3000"), null, INITIALIZE.getBytes(StandardCharsets.UTF_8), "application/json").statusCode());
            }
        }
    }

    @Test
    void aSessionServesOnlyTheUserAndClientThatOpenedIt() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            keycloak.body = StubAuthorizationServer.active(IN_AN_HOUR, "client-a", "http://localhost:3000/mcp");
            try (McpSampleServer server = server(keycloak, "http://localhost:3000/mcp")) {
                String tokenA = StubAuthorizationServer.token();
                String tokenB = StubAuthorizationServer.token();
                HttpResponse<String> opened = post(server, "/mcp", tokenA, null, INITIALIZE.getBytes(StandardCharsets.UTF_8), "application/json");
                assertEquals(200, opened.statusCode());
                String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
                byte[] list = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}".getBytes(StandardCharsets.UTF_8);
                assertEquals(200, post(server, "/mcp", tokenA, session, list, "application/json").statusCode());

                keycloak.body = StubAuthorizationServer.active(IN_AN_HOUR, "client-b", "http://localhost:3000/mcp");
                HttpResponse<String> other = post(server, "/mcp", tokenB, session, list, "application/json");
                assertEquals(404, other.statusCode(), "another client's token cannot use the session");
                assertTrue(other.body().contains("Session not found"), other.body());
                assertEquals(404, post(server, "/mcp", tokenA, "no-such-session", list, "application/json").statusCode());
            }
        }
    }
}
