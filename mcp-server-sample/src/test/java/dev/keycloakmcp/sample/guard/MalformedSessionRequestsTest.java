package dev.keycloakmcp.sample.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.nimbusds.jose.JWSAlgorithm;

import io.modelcontextprotocol.json.McpJsonDefaults;

import dev.keycloakmcp.resourceserver.StubAuthorizationServer;
import dev.keycloakmcp.sample.McpSampleServer;

/**
 * What the sample answers malformed requests of 2025-xx clients, which MCP Java SDK 2.1.0's session transport
 * serves: each gets its standard status and a JSON-RPC error object (or 202 for a notification it accepts), never a
 * 5xx, never an SSE stream without an answer, and nothing internal (stack traces, class names) in any body. On a
 * running server with a stub introspection endpoint; the token has every scope, so that no row stops at the 403
 * step-up.
 */
class MalformedSessionRequestsTest {

    /** Replaced in a row's body or headers by the id of a session this test opened. */
    private static final String SESSION = "{session}";
    /** Replaced by the id of a session opened and then deleted. */
    private static final String DELETED = "{deleted}";
    private static final String INITIALIZE_PARAMS = "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}";
    private static final List<String> LEAKS = List.of("Exception", "at dev.", "at io.", "stackTrace", "io.modelcontextprotocol", "jakarta.");

    private static StubAuthorizationServer keycloak;
    private static McpSampleServer server;
    private static String token;
    private static String session;
    private static String deleted;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        keycloak = new StubAuthorizationServer();
        keycloak.body = StubAuthorizationServer.active(Instant.now().getEpochSecond() + 3600)
                .replace("\"mcp:tools\"", "\"mcp:tools mcp:tools:write\"");
        var config = SampleStub.config(keycloak, Map.of("MCP_PORT", "0", "MCP_RESOURCE", StubAuthorizationServer.RESOURCE));
        server = SampleStub.start(keycloak, config);
        token = StubAuthorizationServer.sign(StubAuthorizationServer.accessTokenClaims().claim("scope", "mcp:tools mcp:tools:write").build(),
                StubAuthorizationServer.REALM_KEY, JWSAlgorithm.RS256);
        session = open();
        deleted = open();
        assertEquals(200, send("DELETE", null, List.of("Mcp-Session-Id", deleted)).statusCode());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        keycloak.close();
    }

    private static String open() throws Exception {
        HttpResponse<String> opened = send("POST", "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{" + INITIALIZE_PARAMS + "}}", List.of());
        assertEquals(200, opened.statusCode(), opened.body());
        String id = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertEquals(202, send("POST", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", List.of("Mcp-Session-Id", id)).statusCode());
        return id;
    }

    /** A request as a 2025-xx client sends it (token, JSON, both Accept types), plus {@code headers} (name, value, …). */
    private static HttpResponse<String> send(String method, String body, List<String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/mcp"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                // Not an assertion: a row that hangs fails here instead of blocking the build.
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(fill(body)));
        boolean accept = false;
        for (int i = 0; i < headers.size(); i += 2) {
            request.header(headers.get(i), fill(headers.get(i + 1)));
            accept |= headers.get(i).equals("Accept");
        }
        if (!accept) {
            request.header("Accept", "application/json, text/event-stream");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String fill(String text) {
        return text.replace(SESSION, String.valueOf(session)).replace(DELETED, String.valueOf(deleted));
    }

    private static Arguments row(String what, String method, String body, List<String> headers, int status, Integer code) {
        return Arguments.of(what, method, body, headers, status, code);
    }

    private static Arguments post(String what, String body, int status, Integer code) {
        return row(what, "POST", body, List.of("Mcp-Session-Id", SESSION), status, code);
    }

    private static Arguments postWithout(String what, String body, List<String> headers, int status, Integer code) {
        return row(what, "POST", body, headers, status, code);
    }

    static Stream<Arguments> malformed() {
        String ok = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}";
        return Stream.of(
                // No session: SDK 2.1.0 answered 400 -32601 as a serialized exception with its stack trace.
                postWithout("request without a session", ok, List.of(), 400, -32600),
                postWithout("notification without a session", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", List.of(), 400, -32600),
                row("GET without a session", "GET", null, List.of("Accept", "text/event-stream"), 400, -32600),
                row("DELETE without a session", "DELETE", null, List.of(), 400, -32600),
                // initialize: without params the SDK answered 500 (a NullPointerException), with partial ones it opened a session.
                postWithout("initialize without params", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}", List.of(), 400, -32602),
                postWithout("initialize with empty params", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}", List.of(), 400, -32602),
                postWithout("initialize without clientInfo", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}", List.of(), 400, -32602),
                postWithout("initialize with a numeric protocolVersion", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                        + "{\"protocolVersion\":5,\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}", List.of(), 400, -32602),
                postWithout("initialize with string capabilities", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":\"all\",\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}", List.of(), 400, -32602),
                postWithout("initialize with mistyped capabilities.roots", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"roots\":\"x\"},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}", List.of(), 400, -32602),
                postWithout("initialize as a notification", "{\"jsonrpc\":\"2.0\",\"method\":\"initialize\",\"params\":{" + INITIALIZE_PARAMS + "}}",
                        List.of(), 400, -32600),
                postWithout("initialize accepting JSON only", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{" + INITIALIZE_PARAMS + "}}",
                        List.of("Accept", "application/json"), 400, -32600),
                // Not a JSON-RPC 2.0 message.
                post("a batch", "[" + ok + "]", 400, -32600),
                post("a number", "42", 400, -32600),
                post("an empty object", "{}", 400, -32600),
                post("no jsonrpc member", "{\"id\":1,\"method\":\"tools/list\"}", 400, -32600),
                post("jsonrpc 1.0", "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"tools/list\"}", 400, -32600),
                post("an object id", "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"tools/list\"}", 400, -32600),
                post("a null id", "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"tools/list\"}", 400, -32600),
                post("a fractional id", "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"tools/list\"}", 400, -32600),
                post("a numeric method", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}", 400, -32600),
                post("a request that is also a response", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"result\":{}}", 400, -32600),
                // Params: tools/call without them got an SSE stream that ended without an answer.
                post("tools/call without params", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\"}", 400, -32602),
                post("tools/call without a name", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{}}", 400, -32602),
                post("tools/call with a numeric name", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":5}}", 400, -32602),
                post("tools/call with string arguments", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
                        + "{\"name\":\"whoami\",\"arguments\":\"x\"}}", 400, -32602),
                post("tools/call with array params", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":[\"whoami\"]}", 400, -32602),
                post("tools/list with string params", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":\"x\"}", 400, -32602),
                post("logging/setLevel without params", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"logging/setLevel\"}", 400, -32602),
                post("logging/setLevel with an unknown level", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"loud\"}}",
                        400, -32602),
                // Responses and notifications: 202 or a 4xx. A response to nothing was a 500.
                post("a response to no request", "{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}", 400, -32600),
                post("an error response to no request", "{\"jsonrpc\":\"2.0\",\"id\":99,\"error\":{\"code\":-1,\"message\":\"no\"}}", 400, -32600),
                post("a response without result or error", "{\"jsonrpc\":\"2.0\",\"id\":99}", 400, -32600),
                post("roots changed, without a GET stream (was 500)", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/roots/list_changed\"}", 202, null),
                post("an unknown notification", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/unheard_of\"}", 202, null),
                // Transport rules.
                row("a request accepting JSON only", "POST", ok, List.of("Mcp-Session-Id", SESSION, "Accept", "application/json"), 400, -32600),
                row("GET not accepting an event stream", "GET", null, List.of("Mcp-Session-Id", SESSION, "Accept", "application/json"), 400, -32600),
                row("a request on a deleted session", "POST", ok, List.of("Mcp-Session-Id", DELETED), 404, -32001),
                row("GET on a deleted session", "GET", null, List.of("Mcp-Session-Id", DELETED, "Accept", "text/event-stream"), 404, -32001),
                row("PUT", "PUT", ok, List.of("Mcp-Session-Id", SESSION), 405, -32600),
                row("PATCH (was 501)", "PATCH", ok, List.of("Mcp-Session-Id", SESSION), 405, -32600));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    @SuppressWarnings("unchecked")
    void answeredWithAStandardError(String what, String method, String body, List<String> headers, int status, Integer code) throws Exception {
        HttpResponse<String> response = send(method, body, headers);
        assertTrue(response.statusCode() < 500, "5xx: " + response.body());
        LEAKS.forEach(leak -> assertFalse(response.body().contains(leak), "leaks '" + leak + "': " + response.body()));
        assertEquals(status, response.statusCode(), response.body());
        if (code == null) {
            assertEquals("", response.body());
            return;
        }
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), response.headers().toString());
        Map<String, Object> answer = McpJsonDefaults.getMapper().readValue(response.body(), Map.class);
        assertEquals("2.0", answer.get("jsonrpc"), response.body());
        assertNull(answer.get("result"), response.body());
        Map<String, Object> error = (Map<String, Object>) answer.get("error");
        assertEquals(code, ((Number) error.get("code")).intValue(), response.body());
        assertTrue(error.get("message") instanceof String text && !text.isBlank(), response.body());
    }

    @Test
    void anErrorAnswersTheRequestsId() throws Exception {
        HttpResponse<String> response = send("POST", "{\"jsonrpc\":\"2.0\",\"id\":\"call-9\",\"method\":\"tools/call\"}", List.of("Mcp-Session-Id", SESSION));
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("call-9", McpJsonDefaults.getMapper().readValue(response.body(), Map.class).get("id"));
    }

    @Test
    void theSessionStillServesWellFormedRequests() throws Exception {
        List<String> inSession = new ArrayList<>(List.of("Mcp-Session-Id", SESSION));
        HttpResponse<String> called = send("POST", "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\",\"arguments\":{}}}", inSession);
        assertEquals(200, called.statusCode(), called.body());
        assertTrue(called.body().contains("\"text\":\"alice\""), called.body());
        HttpResponse<String> level = send("POST", "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"info\"}}", inSession);
        assertEquals(200, level.statusCode(), level.body());
        assertTrue(level.body().contains("\"result\":{}"), level.body());
    }
}
