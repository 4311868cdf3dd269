package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.McpHttp;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.StdioMcpHost;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.it.support.McpServerProcess;

/**
 * The Spring AI sample MCP server (mcp-server-spring-sample: Spring Boot, Spring Security, Spring AI's MCP server) as
 * another MCP server of the realm: its own jar in its own JVM, registered as the pack registers MCP servers. What a
 * user sees: a real MCP client signs in and calls a tool; what clients see: the challenges and metadata MCP needs.
 */
@McpStackTest
class SpringAiServerIT {


    private static McpStack stack;
    private static McpServerProcess server;
    private static String resource;
    private static String origin;
    /** alice's token for the stack's plain sample server. */
    private static String otherServersToken;
    /** alice's token for this server, with the base scope only. */
    private static String readOnlyToken;

    @BeforeAll
    static void startServer() throws Exception {
        int port = KeycloakDistribution.freePort();
        origin = "http://localhost:" + port;
        resource = origin + "/mcp";
        stack.admin.registerMcpServer(resource);
        server = McpServerProcess.launch("Spring AI sample", List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar()),
                Map.of("MCP_ISSUER", stack.issuer(), "MCP_RESOURCE", resource, "MCP_CLIENT_SECRET", "test-only-secret", "MCP_PORT", String.valueOf(port)),
                Files.createDirectories(Path.of("target")).resolve("spring-sample-it.log"));
        // Tokens while it starts; each client signs in afresh (its own cookies).
        otherServersToken = (String) McpOAuthClient.register(stack, "Spring AI server IT").tokensFor(stack.mcpUrl(), "alice", "alice")
                .get("access_token");
        readOnlyToken = token(McpOAuthClient.register(stack, "Spring AI server IT, read only"), resource, "mcp:tools");
        System.out.printf("[SpringAiServerIT] Spring sample server ready %d ms after its tokens%n", server.awaitReady(URI.create(origin + McpServerProcess.METADATA_PATH), status -> status == 200, Duration.ofMinutes(2)).toMillis());
    }

    /**
     * Its executable jar, built before this module ({@code mcp.spring.sample.jar}). C1 only and one GC thread: it starts
     * about a third faster on a busy 2-core machine, and it serves a few requests.
     */
    private static String jar() {
        Path jar = Path.of(System.getProperty("mcp.spring.sample.jar", "mcp.spring.sample.jar is not set"));
        assertTrue(Files.isRegularFile(jar), () -> "No Spring sample jar at " + jar + ": build it first (./mvnw install -DskipTests)");
        return jar.toString();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void mcpRemoteSignsInAndCallsWhoami() throws Exception {
        // 401 → metadata → dynamic registration → sign-in and consent → whoami, with mcp-remote's defaults.
        assertEquals("alice", StdioMcpHost.whoamiThroughMcpRemote(stack.issuer(), resource, "alice", "alice", "SpringAiServerIT"));
    }

    @Test
    void withoutTokenTheChallengeNamesTheMetadataAndTheScope() {
        HttpResponse<String> response = new McpHttp(resource).post(null, null, McpHttp.initializeRequest());
        assertEquals(401, response.statusCode(), response::body);
        assertEquals("Bearer resource_metadata=\"" + origin + "/.well-known/oauth-protected-resource/mcp\", scope=\"mcp:tools\"",
                response.headers().firstValue("WWW-Authenticate").orElseThrow());
    }

    @Test
    void metadataIsServedAtBothWellKnownUrls() {
        for (String url : List.of(origin + "/.well-known/oauth-protected-resource/mcp", origin + "/.well-known/oauth-protected-resource")) {
            HttpResponse<String> response = new Http().get(url);
            assertEquals(200, response.statusCode(), url);
            Map<String, Object> metadata = Json.object(response.body());
            assertEquals(resource, metadata.get("resource"), url);
            assertEquals(List.of(stack.issuer()), metadata.get("authorization_servers"), url);
            assertEquals(List.of("mcp:tools"), metadata.get("scopes_supported"), url);
            assertEquals(List.of("header"), metadata.get("bearer_methods_supported"), url);
            assertEquals(false, metadata.getOrDefault("tls_client_certificate_bound_access_tokens", false), url);
        }
    }

    @Test
    void aTokenForAnotherMcpServerIsRefused() {
        assertEquals(200, new McpHttp(stack.mcpUrl()).post(otherServersToken, null, McpHttp.initializeRequest()).statusCode(),
                "valid where it was meant for");
        HttpResponse<String> response = new McpHttp(resource).post(otherServersToken, null, McpHttp.initializeRequest());
        assertEquals(401, response.statusCode(), response::body);
        Map<String, String> challenge = McpHttp.challenge(response);
        assertEquals("invalid_token", challenge.get("error"), challenge.toString());
        assertEquals(origin + "/.well-known/oauth-protected-resource/mcp", challenge.get("resource_metadata"));
    }

    @Test
    void aRevokedTokenStopsWorkingAtOnce() {
        McpOAuthClient client = McpOAuthClient.register(stack, "Spring AI server IT, revoking");
        String token = token(client, resource, "mcp:tools");
        McpHttp mcp = new McpHttp(resource);
        assertEquals(200, mcp.post(token, null, McpHttp.initializeRequest()).statusCode());

        HttpResponse<String> revoked = client.http.postForm(stack.issuer() + "/protocol/openid-connect/revoke",
                Map.of("token", token, "token_type_hint", "access_token", "client_id", client.clientId));
        assertEquals(200, revoked.statusCode(), revoked::body);
        // No introspection cache: the next request is refused.
        HttpResponse<String> refused = mcp.post(token, null, McpHttp.initializeRequest());
        assertEquals(401, refused.statusCode(), refused::body);
        assertEquals("invalid_token", McpHttp.challenge(refused).get("error"));
    }

    @Test
    void theWriteToolAsksForStepUpBeforeItRuns() {
        McpHttp mcp = new McpHttp(resource);
        String session = mcp.initialize(readOnlyToken);
        HttpResponse<String> read = mcp.callTool(readOnlyToken, session, "whoami", Map.of());
        assertEquals(200, read.statusCode(), read::body);
        assertEquals("alice", StdioMcpHost.toolText(McpHttp.message(read).get("result")), read::body);

        HttpResponse<String> write = mcp.callTool(readOnlyToken, session, "add_note", Map.of("text", "not written"));
        assertEquals(403, write.statusCode(), write::body);
        Map<String, String> challenge = McpHttp.challenge(write);
        assertEquals("insufficient_scope", challenge.get("error"), challenge.toString());
        assertEquals("mcp:tools mcp:tools:write", challenge.get("scope"), challenge.toString());
        assertEquals(origin + "/.well-known/oauth-protected-resource/mcp", challenge.get("resource_metadata"));
        // Declared in another charset than the one its bytes are in: refused, not read one way here and another by the SDK.
        HttpResponse<String> otherCharset = new Http().send(HttpRequest.newBuilder(URI.create(resource))
                .header("Content-Type", "application/json; charset=UTF-16").header("Accept", McpHttp.ACCEPT)
                .header("Authorization", "Bearer " + readOnlyToken).header("Mcp-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("jsonrpc", "2.0", "id", 4, "method", "tools/call",
                        "params", Map.of("name", "add_note", "arguments", Map.of("text", "not written")))))).build());
        assertEquals(415, otherCharset.statusCode(), otherCharset::body);

        HttpResponse<String> notes = mcp.callTool(readOnlyToken, session, "list_notes", Map.of());
        assertEquals(200, notes.statusCode(), notes::body);
        assertTrue(!StdioMcpHost.toolText(McpHttp.message(notes).get("result")).contains("not written"), "the tool did not run: " + notes.body());
    }

    private static String token(McpOAuthClient client, String resource, String scope) {
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, resource);
        request.put("scope", scope);
        String code = client.signInAndConsent(request, "alice", "alice");
        HttpResponse<String> tokens = client.exchange(code, pkce.verifier(), resource);
        assertEquals(200, tokens.statusCode(), tokens::body);
        return (String) Json.object(tokens.body()).get("access_token");
    }

}
