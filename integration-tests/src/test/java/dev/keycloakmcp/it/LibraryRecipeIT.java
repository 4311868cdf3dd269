package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
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
import dev.keycloakmcp.it.support.McpToolCalls;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.recipes.PlainServletRecipe;
import dev.keycloakmcp.resourceserver.McpAuthSetupException;

/**
 * The plain-servlet recipe of docs/protect-your-mcp-server.md ({@link PlainServletRecipe}: an MCP Java SDK server
 * with the resource-server library's few lines) against the test Keycloak, registered in the realm as a second MCP
 * server: what an MCP client meets there is what the sample server gives.
 */
@McpStackTest
class LibraryRecipeIT {

    private static final String SECRET = "test-only-secret";

    private static McpStack stack;
    private static PlainServletRecipe server;
    private static String resource;

    @BeforeAll
    static void start() throws Exception {
        int port = KeycloakDistribution.freePort();
        resource = "http://localhost:" + port + "/mcp";
        stack.admin.registerMcpServer(resource);
        server = PlainServletRecipe.start(stack.issuer(), resource, SECRET, port);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String token(String audience, String scope) {
        McpOAuthClient client = McpOAuthClient.register(stack, "Library recipe IT");
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, audience);
        request.put("scope", scope);
        HttpResponse<String> tokens = client.exchange(client.signInAndConsent(request, "alice", "alice"), pkce.verifier(), audience);
        assertEquals(200, tokens.statusCode(), tokens::body);
        return (String) Json.object(tokens.body()).get("access_token");
    }

    @Test
    void clientFindsTheRealmFromTheChallengeAndCallsAToolAsTheUser() {
        HttpResponse<String> unauthorized = new McpHttp(resource).post(null, null, McpHttp.initializeRequest());
        assertEquals(401, unauthorized.statusCode());
        Map<String, String> challenge = McpHttp.challenge(unauthorized);
        String metadataUrl = "http://localhost:" + server.port() + "/.well-known/oauth-protected-resource/mcp";
        assertEquals(metadataUrl, challenge.get("resource_metadata"));
        assertEquals("mcp:tools", challenge.get("scope"));

        Http http = new Http();
        for (String url : List.of(metadataUrl, "http://localhost:" + server.port() + "/.well-known/oauth-protected-resource")) {
            Map<String, Object> metadata = Json.object(http.get(url).body());
            assertEquals(resource, metadata.get("resource"), url);
            assertEquals(List.of(stack.issuer()), metadata.get("authorization_servers"), url);
            assertEquals(List.of("mcp:tools"), metadata.get("scopes_supported"), url);
        }

        assertEquals("alice", McpToolCalls.callText(resource, token(resource, "mcp:tools"), "whoami", Map.of()));
    }

    @Test
    void aTokenForAnotherMcpServerIsRefused() {
        HttpResponse<String> refused = new McpHttp(resource).post(token(stack.mcpUrl(), "mcp:tools"), null, McpHttp.initializeRequest());
        assertEquals(401, refused.statusCode(), refused::body);
        assertEquals("invalid_token", McpHttp.challenge(refused).get("error"));
    }

    @Test
    void aToolWithItsOwnScopeAsksForStepUp() {
        McpHttp mcp = new McpHttp(resource);
        String readOnly = token(resource, "mcp:tools");
        String session = mcp.initialize(readOnly);
        HttpResponse<String> refused = mcp.callTool(readOnly, session, "add_note", Map.of());
        assertEquals(403, refused.statusCode(), refused::body);
        assertEquals("insufficient_scope", McpHttp.challenge(refused).get("error"));
        assertEquals("mcp:tools mcp:tools:write", McpHttp.challenge(refused).get("scope"));

        assertTrue(McpToolCalls.callText(resource, token(resource, "mcp:tools mcp:tools:write"), "add_note", Map.of())
                .startsWith("Noted for alice"));
    }

    @Test
    void aSessionServesOnlyTheClientThatOpenedItWhateverVersionARequestClaims() {
        McpHttp mcp = new McpHttp(resource);
        String owner = token(resource, "mcp:tools");
        String session = mcp.initialize(owner);
        String list = Json.write(Map.of("jsonrpc", "2.0", "id", 3, "method", "tools/list"));
        assertEquals(200, mcp.post(owner, session, list).statusCode());

        // Another client of the same user, naming the session; once as a 2026-07-28 request, which has no sessions.
        String other = token(resource, "mcp:tools");
        assertEquals(404, mcp.post(other, session, list).statusCode());
        HttpResponse<String> claimingStateless = new Http().postJson(resource, list, "Accept", McpHttp.ACCEPT,
                "Authorization", "Bearer " + other, "Mcp-Session-Id", session, "MCP-Protocol-Version", "2026-07-28");
        assertEquals(404, claimingStateless.statusCode(), claimingStateless::body);
    }

    @Test
    void wrongCredentialsStopTheServerAtStartupNamingTheSettings() {
        McpAuthSetupException error = assertThrows(McpAuthSetupException.class,
                () -> PlainServletRecipe.start(stack.issuer(), resource, "wrong-secret", 0));
        assertEquals(List.of(McpAuthSetupException.Setting.CLIENT_ID, McpAuthSetupException.Setting.CLIENT_SECRET,
                McpAuthSetupException.Setting.INTROSPECTION_URL), error.settings());
    }
}
