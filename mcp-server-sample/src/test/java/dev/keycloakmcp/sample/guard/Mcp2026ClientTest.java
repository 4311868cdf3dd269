package dev.keycloakmcp.sample.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.McpJsonDefaults;

import dev.keycloakmcp.resourceserver.StubAuthorizationServer;
import dev.keycloakmcp.sample.McpSampleServer;

/**
 * What the sample answers an MCP 2026-07-28 client (stateless requests, {@code server/discover}, the
 * {@code Mcp-Method}/{@code Mcp-Name} headers), on a running server with a stub introspection endpoint: a JSON-RPC
 * result or a standard error, never a 5xx, and the bearer filter still first. (Against the real Keycloak:
 * ResourceServerIT.)
 */
class Mcp2026ClientTest {

    private static final String VERSION = "2026-07-28";

    private static StubAuthorizationServer keycloak;
    private static McpSampleServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        keycloak = new StubAuthorizationServer();
        keycloak.body = StubAuthorizationServer.active(Instant.now().getEpochSecond() + 3600);
        var config = SampleStub.config(keycloak, Map.of("MCP_PORT", "0", "MCP_RESOURCE", StubAuthorizationServer.RESOURCE));
        server = SampleStub.start(keycloak, config);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        keycloak.close();
    }

    /** A request as a 2026-07-28 client sends it: version in {@code _meta} and in the header, method and name mirrored. */
    private static Map<String, Object> request(Object id, String method, Map<String, Object> params) {
        Map<String, Object> withMeta = new LinkedHashMap<>(params);
        withMeta.put("_meta", Map.of("io.modelcontextprotocol/protocolVersion", VERSION,
                "io.modelcontextprotocol/clientInfo", Map.of("name", "test", "version", "1"), "io.modelcontextprotocol/clientCapabilities", Map.of()));
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("jsonrpc", "2.0");
        if (id != null) {
            message.put("id", id);
        }
        message.put("method", method);
        message.put("params", withMeta);
        return message;
    }

    private static List<String> headers(String method, String name) {
        List<String> headers = new ArrayList<>(List.of("MCP-Protocol-Version", VERSION, "Mcp-Method", method));
        if (name != null) {
            headers.addAll(List.of("Mcp-Name", name));
        }
        return headers;
    }

    private HttpResponse<String> post(String token, Object body, List<String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/mcp"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String text ? text : json(body)));
        for (int i = 0; i < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(Map<String, Object> message, String name) throws Exception {
        return post(StubAuthorizationServer.token(), message, headers((String) message.get("method"), name));
    }

    private static String json(Object value) throws Exception {
        return McpJsonDefaults.getMapper().writeValueAsString(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(HttpResponse<String> response) throws Exception {
        return McpJsonDefaults.getMapper().readValue(response.body(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> result(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> body = body(response);
        assertNull(body.get("error"), response.body());
        return (Map<String, Object>) body.get("result");
    }

    @SuppressWarnings("unchecked")
    private static void assertError(HttpResponse<String> response, int status, int code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        Map<String, Object> error = (Map<String, Object>) body(response).get("error");
        assertEquals(code, ((Number) error.get("code")).intValue(), response.body());
    }

    @Test
    @SuppressWarnings("unchecked")
    void serverDiscoverIsAnsweredWithoutASession() throws Exception {
        HttpResponse<String> response = post(request("d-1", "server/discover", Map.of()), null);
        Map<String, Object> result = result(response);
        assertEquals("d-1", body(response).get("id"));
        assertEquals(List.of(VERSION), result.get("supportedVersions"));
        assertTrue(((Map<String, Object>) result.get("capabilities")).containsKey("tools"), response.body());
        assertEquals("complete", result.get("resultType"));
        assertEquals("private", result.get("cacheScope"));
        assertTrue(((Number) result.get("ttlMs")).longValue() >= 0);
        Map<String, Object> serverInfo = (Map<String, Object>) ((Map<String, Object>) result.get("_meta")).get("io.modelcontextprotocol/serverInfo");
        assertEquals("keycloak-mcp-sample", serverInfo.get("name"));
        assertFalse(response.headers().firstValue("Mcp-Session-Id").isPresent(), "a stateless answer mints no session");
    }

    @Test
    @SuppressWarnings("unchecked")
    void statelessRequestsReachTheToolsAsTheSignedInUser() throws Exception {
        Map<String, Object> listed = result(post(request(1, "tools/list", Map.of()), null));
        List<String> names = ((List<Map<String, Object>>) listed.get("tools")).stream().map(tool -> (String) tool.get("name")).toList();
        assertEquals(List.of("whoami", "echo", "list_notes", "add_note", "downstream_profile"), names);
        assertEquals("complete", listed.get("resultType"));
        assertEquals("private", listed.get("cacheScope"), "tools/list is a cacheable result in 2026-07-28");

        Map<String, Object> whoami = result(post(request(2, "tools/call", Map.of("name", "whoami", "arguments", Map.of())), "whoami"));
        assertEquals("alice", ((List<Map<String, Object>>) whoami.get("content")).get(0).get("text"));
        assertEquals("complete", whoami.get("resultType"));

        // The name may come Base64-encoded; a session id on a stateless request is ignored, not looked up.
        String encoded = "=?base64?" + Base64.getEncoder().encodeToString("whoami".getBytes(StandardCharsets.UTF_8)) + "?=";
        List<String> headers = new ArrayList<>(headers("tools/call", encoded));
        headers.addAll(List.of("Mcp-Session-Id", "no-such-session"));
        HttpResponse<String> withSession = post(StubAuthorizationServer.token(),
                request(3, "tools/call", Map.of("name", "whoami", "arguments", Map.of())), headers);
        assertEquals("alice", ((List<Map<String, Object>>) result(withSession).get("content")).get(0).get("text"));
    }

    @Test
    void headersThatDoNotMatchTheBodyAreHeaderMismatch() throws Exception {
        String token = StubAuthorizationServer.token();
        Map<String, Object> whoami = request(1, "tools/call", Map.of("name", "whoami", "arguments", Map.of()));
        assertError(post(token, whoami, headers("tools/call", "echo")), 400, -32020);
        assertError(post(token, whoami, headers("tools/call", null)), 400, -32020);
        assertError(post(token, whoami, headers("tools/list", "whoami")), 400, -32020);
        assertError(post(token, whoami, headers("tools/call", "=?base64?not base64!?=")), 400, -32020);
        assertError(post(token, whoami, List.of("Mcp-Method", "tools/call", "Mcp-Name", "whoami")), 400, -32020);
        Map<String, Object> noMeta = Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/list");
        assertError(post(token, noMeta, headers("tools/list", null)), 400, -32020);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUnsupportedVersionGetsTheSupportedOnes() throws Exception {
        Map<String, Object> future = Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/list",
                "params", Map.of("_meta", Map.of("io.modelcontextprotocol/protocolVersion", "2099-01-01")));
        HttpResponse<String> response = post(StubAuthorizationServer.token(), future,
                List.of("MCP-Protocol-Version", "2099-01-01", "Mcp-Method", "tools/list"));
        assertError(response, 400, -32022);
        Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) body(response).get("error")).get("data");
        assertEquals(List.of(VERSION), data.get("supported"));
        assertEquals("2099-01-01", data.get("requested"));
    }

    @Test
    void badRequestsGetStandardErrorsNeverA5xx() throws Exception {
        String token = StubAuthorizationServer.token();
        assertError(post(request(1, "prompts/list", Map.of()), null), 404, -32601);
        assertError(post(request(1, "subscriptions/listen", Map.of()), null), 404, -32601);
        assertError(post(request(1, "tools/call", Map.of("name", "whoami", "arguments", "not an object")), "whoami"), 400, -32602);
        assertError(post(token, List.of(request(1, "tools/list", Map.of())), headers("tools/list", null)), 400, -32600);
        assertError(post(token, Map.of("jsonrpc", "2.0", "id", 1, "result", Map.of()), headers("tools/list", null)), 400, -32600);
        assertEquals(202, post(request(null, "notifications/cancelled", Map.of("requestId", 1)), null).statusCode());

        HttpRequest get = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/mcp"))
                .header("Authorization", "Bearer " + token).header("MCP-Protocol-Version", VERSION).GET().build();
        HttpResponse<String> stream = http.send(get, HttpResponse.BodyHandlers.ofString());
        assertEquals(405, stream.statusCode(), "2026-07-28 has no GET stream");
        assertEquals("POST", stream.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void theBearerFilterStillComesFirst() throws Exception {
        HttpResponse<String> anonymous = post(null, request(1, "server/discover", Map.of()), headers("server/discover", null));
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow().contains("resource_metadata="));
        HttpResponse<String> stepUp = post(request(2, "tools/call", Map.of("name", "add_note", "arguments", Map.of("text", "x"))), "add_note");
        assertEquals(403, stepUp.statusCode(), "a token with only mcp:tools cannot add a note, statelessly either");
        assertTrue(stepUp.headers().firstValue("WWW-Authenticate").orElseThrow().contains("insufficient_scope"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void initializeStillOpensA2025Session() throws Exception {
        String token = StubAuthorizationServer.token();
        Map<String, Object> initialize = Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params",
                Map.of("protocolVersion", VERSION, "capabilities", Map.of(), "clientInfo", Map.of("name", "t", "version", "1")));
        HttpResponse<String> opened = post(token, initialize, List.of("MCP-Protocol-Version", VERSION));
        assertEquals("2025-11-25", result(opened).get("protocolVersion"), "the SDK negotiates its newest version");
        String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> listed = post(token, Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/list"),
                List.of("Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-11-25"));
        assertEquals(200, listed.statusCode(), listed.body());
        assertTrue(listed.body().contains("\"whoami\""), listed.body());
    }
}
