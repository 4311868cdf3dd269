package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
import dev.keycloakmcp.it.support.McpServerProcess;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.McpToolCalls;
import dev.keycloakmcp.it.support.StdioMcpHost;
import dev.keycloakmcp.it.support.Pkce;

/**
 * The Quarkus sample MCP server ({@code mcp-server-quarkus-sample}: quarkus-mcp-server-http + quarkus-oidc + its
 * McpScopes handlers), built jar run as its own JVM and registered in the test realm as a second MCP server: a real
 * MCP client signs in and calls a tool; tokens for the other MCP server are refused; the 401 challenge, the metadata,
 * the step-up 403, and 503 when Keycloak cannot be reached.
 */
@McpStackTest
class QuarkusServerIT {

    /** The built application, passed by integration-tests/pom.xml. */
    static final String JAR_PROPERTY = "mcp.quarkus.sample.jar";

    private static McpStack stack;
    private static McpServerProcess server;
    private static String resource;
    private static String origin;

    @BeforeAll
    static void startServer() throws Exception {
        int port = KeycloakDistribution.freePort();
        origin = "http://localhost:" + port;
        resource = origin + "/mcp";
        stack.admin.registerMcpServer(resource);
        server = quarkus(Map.of("MCP_ISSUER", stack.issuer(), "MCP_RESOURCE", resource, "MCP_PORT", String.valueOf(port),
                "MCP_CLIENT_SECRET", "test-only-secret"), port, "quarkus-sample");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void mcpRemoteSignsInThroughTheChallengeAndCallsWhoami() throws Exception {
        // 401 → metadata → dynamic registration → sign-in and consent → whoami, with mcp-remote's defaults.
        assertEquals("alice", StdioMcpHost.whoamiThroughMcpRemote(stack.issuer(), resource, "alice", "alice", "QuarkusServerIT"));
    }

    @Test
    void noTokenGets401PointingAtTheMetadataWhichNamesTheCanonicalUrlAndTheRealm() {
        HttpResponse<String> unauthorized = new McpHttp(resource).post(null, null, McpHttp.initializeRequest());
        assertEquals(401, unauthorized.statusCode(), unauthorized::body);
        Map<String, String> challenge = McpHttp.challenge(unauthorized);
        String metadataUrl = origin + "/.well-known/oauth-protected-resource/mcp";
        assertEquals(Map.of("resource_metadata", metadataUrl, "scope", "mcp:tools"), challenge);

        // The older SSE transport below /mcp is guarded the same way.
        HttpResponse<String> sse = new Http().get(resource + "/sse", "Accept", "text/event-stream");
        assertEquals(401, sse.statusCode(), sse::body);
        assertEquals(Map.of("resource_metadata", metadataUrl, "scope", "mcp:tools"), McpHttp.challenge(sse));

        Http http = new Http();
        for (String url : List.of(metadataUrl, origin + "/.well-known/oauth-protected-resource")) {
            HttpResponse<String> metadata = http.get(url);
            assertEquals(200, metadata.statusCode(), url);
            Map<String, Object> prm = Json.object(metadata.body());
            assertEquals(resource, prm.get("resource"), url);
            assertEquals(List.of(stack.issuer()), prm.get("authorization_servers"), url);
            assertEquals(List.of("mcp:tools"), prm.get("scopes_supported"), url);
        }
    }

    @Test
    void onlyAnUnrevokedAccessTokenForThisServerIsAccepted() {
        McpOAuthClient client = McpOAuthClient.register(stack, "Quarkus IT, other server");
        String otherServersToken = (String) client.tokensFor(stack.mcpUrl(), "alice", "alice").get("access_token");
        // Valid for the sample server...
        assertEquals("alice", McpToolCalls.callText(stack.mcpUrl(), otherServersToken, "whoami", Map.of()));
        // ...and refused here: its audience is the other server's URL.
        HttpResponse<String> refused = new McpHttp(resource).post(otherServersToken, null, McpHttp.initializeRequest());
        assertEquals(401, refused.statusCode(), refused::body);
        assertEquals("invalid_token", McpHttp.challenge(refused).get("error"));
        assertFalse(refused.body().contains("Exception"), refused::body);

        HttpResponse<String> madeUp = new McpHttp(resource).post("made-up", null, McpHttp.initializeRequest());
        assertEquals(401, madeUp.statusCode(), madeUp::body);
        assertEquals("invalid_token", McpHttp.challenge(madeUp).get("error"));

        McpOAuthClient ours = McpOAuthClient.register(stack, "Quarkus IT");
        Map<String, Object> tokens = ours.tokensFor(resource, "alice", "alice");
        String token = (String) tokens.get("access_token");
        assertEquals("alice", McpToolCalls.callText(resource, token, "whoami", Map.of()));
        assertEquals("hello", McpToolCalls.callText(resource, token, "echo", Map.of("text", "hello")));
        // Its refresh token is no access token.
        HttpResponse<String> refreshToken = new McpHttp(resource).post((String) tokens.get("refresh_token"), null, McpHttp.initializeRequest());
        assertEquals(401, refreshToken.statusCode(), refreshToken::body);
        assertEquals("invalid_token", McpHttp.challenge(refreshToken).get("error"));

        // Introspection, not only the signature: a well-signed access token this server has not seen yet, whose grant
        // the client revoked (RFC 7009), is refused.
        HttpResponse<String> refreshed = ours.refresh((String) tokens.get("refresh_token"), resource);
        assertEquals(200, refreshed.statusCode(), refreshed::body);
        Map<String, Object> fresh = Json.object(refreshed.body());
        HttpResponse<String> revoked = ours.http.postForm((String) ours.metadata.get("revocation_endpoint"),
                Map.of("token", (String) fresh.get("refresh_token"), "client_id", ours.clientId));
        assertEquals(200, revoked.statusCode(), revoked::body);
        HttpResponse<String> afterRevocation = new McpHttp(resource).post((String) fresh.get("access_token"), null, McpHttp.initializeRequest());
        assertEquals(401, afterRevocation.statusCode(), afterRevocation::body);
        assertEquals("invalid_token", McpHttp.challenge(afterRevocation).get("error"));
    }

    @Test
    void addNoteWithoutTheWriteScopeGets403StepUpAndWorksWithIt() {
        String readOnly = (String) McpOAuthClient.register(stack, "Quarkus IT, read").tokensFor(resource, "alice", "alice").get("access_token");
        McpHttp mcp = new McpHttp(resource);
        String session = mcp.initialize(readOnly);
        HttpResponse<String> forbidden = mcp.callTool(readOnly, session, "add_note", Map.of("text", "from the IT"));
        assertEquals(403, forbidden.statusCode(), forbidden::body);
        Map<String, String> challenge = McpHttp.challenge(forbidden);
        assertEquals("insufficient_scope", challenge.get("error"));
        assertEquals("mcp:tools mcp:tools:write", challenge.get("scope"));
        assertEquals(origin + "/.well-known/oauth-protected-resource/mcp", challenge.get("resource_metadata"));
        // In a batch too: the body is read before the MCP handler.
        HttpResponse<String> batch = mcp.post(readOnly, session, Json.write(List.of(Map.of("jsonrpc", "2.0", "id", 3, "method", "tools/call",
                "params", Map.of("name", "add_note", "arguments", Map.of("text", "in a batch"))))));
        assertEquals(403, batch.statusCode(), batch::body);
        assertEquals("mcp:tools mcp:tools:write", McpHttp.challenge(batch).get("scope"));
        // A body declared in another charset, or in UTF-16 without saying so: never read one way here and another by
        // the MCP handler (which reads the bytes whatever the header says).
        byte[] call = Json.write(Map.of("jsonrpc", "2.0", "id", 4, "method", "tools/call",
                "params", Map.of("name", "add_note", "arguments", Map.of("text", "charset trick")))).getBytes(StandardCharsets.UTF_8);
        assertEquals(415, post(readOnly, session, "application/json; charset=UTF-16", call).statusCode());
        byte[] utf16 = new String(call, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16BE);
        assertEquals(403, post(readOnly, session, "application/json", utf16).statusCode());
        // The same token still reads, and nothing was written.
        HttpResponse<String> listed = mcp.callTool(readOnly, session, "list_notes", Map.of());
        assertEquals(200, listed.statusCode(), listed::body);
        assertFalse(listed.body().contains("charset trick"), listed::body);

        // Step-up: the client asks again with the scope of the challenge.
        McpOAuthClient writer = McpOAuthClient.register(stack, "Quarkus IT, write");
        Pkce pkce = Pkce.create();
        Map<String, String> request = writer.authorizationRequest(pkce, resource);
        request.put("scope", challenge.get("scope"));
        String code = writer.signInAndConsent(request, "alice", "alice");
        HttpResponse<String> tokens = writer.exchange(code, pkce.verifier(), resource);
        assertEquals(200, tokens.statusCode(), tokens::body);
        String write = (String) Json.object(tokens.body()).get("access_token");
        assertEquals("Noted (1)", McpToolCalls.callText(resource, write, "add_note", Map.of("text", "from the IT")));
        assertEquals("from the IT", McpToolCalls.callText(resource, write, "list_notes", Map.of()));
    }

    @Test
    void whenKeycloakCannotBeReachedATokenGets503NotA401() throws Exception {
        int port = KeycloakDistribution.freePort();
        String deadIssuer = "http://localhost:" + KeycloakDistribution.freePort() + "/realms/mcp";
        try (McpServerProcess cut = quarkus(Map.of("MCP_ISSUER", deadIssuer, "MCP_RESOURCE", "http://localhost:" + port + "/mcp",
                "MCP_PORT", String.valueOf(port), "MCP_CLIENT_SECRET", "test-only-secret"), port, "quarkus-sample-no-keycloak")) {
            HttpResponse<String> unavailable = new McpHttp("http://localhost:" + port + "/mcp").post("any-token", null, McpHttp.initializeRequest());
            assertEquals(503, unavailable.statusCode(), unavailable::body);
            assertEquals("{\"error\":\"temporarily_unavailable\"}", unavailable.body());
            assertTrue(unavailable.headers().firstValue("Retry-After").isPresent());
        }
    }

    /** A raw POST to the MCP endpoint: the body's bytes and its Content-Type as given. */
    private static HttpResponse<String> post(String token, String session, String contentType, byte[] body) {
        return new Http().send(HttpRequest.newBuilder(URI.create(resource)).header("Content-Type", contentType)
                .header("Accept", McpHttp.ACCEPT).header("Authorization", "Bearer " + token).header("Mcp-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** {@code java -jar quarkus-run.jar} with {@code settings} as its environment, once it answers HTTP on {@code port}. */
    private static McpServerProcess quarkus(Map<String, String> settings, int port, String name) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty(JAR_PROPERTY, "../mcp-server-quarkus-sample/target/quarkus-app/quarkus-run.jar"));
        assertTrue(Files.isRegularFile(jar), () -> jar + " is missing: build mcp-server-quarkus-sample first (./mvnw install -DskipTests)");
        Path log = Files.createDirectories(Path.of("target", "quarkus-sample")).resolve(name + ".log");
        Map<String, String> environment = new HashMap<>(settings);
        environment.putIfAbsent("MCP_HOST", "localhost");
        McpServerProcess app = McpServerProcess.launch(name, List.of("-Xmx192m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()),
                environment, log);
        // Any HTTP answer: with Keycloak down on purpose, its metadata is not served.
        Duration took = app.awaitReady(URI.create("http://localhost:" + port + "/q/none"), status -> true, Duration.ofMinutes(1));
        System.out.printf("[QuarkusServerIT] %s answering in %d ms%n", name, took.toMillis());
        return app;
    }
}
