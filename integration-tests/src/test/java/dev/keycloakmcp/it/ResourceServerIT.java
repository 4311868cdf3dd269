package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.spec.McpSchema;

import dev.keycloakmcp.it.pages.HttpConsentPage;
import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.McpHttp;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.McpToolCalls;
import dev.keycloakmcp.it.support.Pkce;

/**
 * The sample MCP server as an OAuth resource server, against the real Keycloak: protected resource metadata,
 * every 401/400/403 case with its challenge, per-tool scopes and step-up re-authorization.
 */
@McpStackTest
class ResourceServerIT {

    private static final String BOTH_SCOPES = "mcp:tools mcp:tools:write";

    private static McpStack stack;

    private static McpOAuthClient client() {
        return McpOAuthClient.register(stack, "Resource server IT");
    }

    private static String token(McpOAuthClient client, String scope) {
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, stack.mcpUrl());
        request.put("scope", scope);
        String code = client.signInAndConsent(request, "alice", "alice");
        HttpResponse<String> tokens = client.exchange(code, pkce.verifier(), stack.mcpUrl());
        assertEquals(200, tokens.statusCode(), tokens::body);
        return (String) Json.object(tokens.body()).get("access_token");
    }

    private static void assertChallenge(HttpResponse<String> response, int status, String error, String scope) {
        assertEquals(status, response.statusCode(), response::body);
        Map<String, String> challenge = McpHttp.challenge(response);
        assertEquals(error, challenge.get("error"), challenge.toString());
        assertEquals(scope, challenge.get("scope"), challenge.toString());
        assertEquals(stack.sample().config().protectedResourceMetadataUrl(), challenge.get("resource_metadata"));
    }

    @Test
    void resourceMetadataIsServedAtBothWellKnownUrls() {
        Http http = new Http();
        String origin = stack.mcpUrl().substring(0, stack.mcpUrl().indexOf("/mcp"));
        for (String url : List.of(origin + "/.well-known/oauth-protected-resource/mcp", origin + "/.well-known/oauth-protected-resource")) {
            HttpResponse<String> response = http.get(url);
            assertEquals(200, response.statusCode(), url);
            Map<String, Object> metadata = Json.object(response.body());
            assertEquals(stack.mcpUrl(), metadata.get("resource"));
            assertEquals(List.of(stack.issuer()), metadata.get("authorization_servers"));
            assertEquals(List.of("mcp:tools"), metadata.get("scopes_supported"), "minimal: the write scope comes by step-up");
            assertEquals(List.of("header"), metadata.get("bearer_methods_supported"));
            assertEquals("keycloak-mcp sample MCP server", metadata.get("resource_name"));
        }
    }

    @Test
    void noTokenGetsTheChallengeThatStartsTheFlow() {
        HttpResponse<String> missing = new McpHttp(stack.mcpUrl()).post(null, null, McpHttp.initializeRequest());
        assertChallenge(missing, 401, null, "mcp:tools");
        HttpResponse<String> basic = new Http().postJson(stack.mcpUrl(), McpHttp.initializeRequest(), "Accept", McpHttp.ACCEPT,
                "Authorization", "Basic YWxpY2U6YWxpY2U=");
        assertChallenge(basic, 401, null, "mcp:tools");
    }

    @Test
    void malformedAndUnknownTokensGetInvalidToken() {
        McpHttp mcp = new McpHttp(stack.mcpUrl());
        for (String token : List.of("not-a-token", "two words", "\"quoted\"", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")) {
            assertChallenge(mcp.post(token, null, McpHttp.initializeRequest()), 401, "invalid_token", "mcp:tools");
        }
    }

    @Test
    void tokenForAnotherMcpServerIsRefused() throws Exception {
        String otherServer = "http://localhost:" + KeycloakDistribution.freePort() + "/mcp";
        stack.admin.registerMcpServer(otherServer);

        String token = (String) client().tokensFor(otherServer, "alice", "alice").get("access_token");
        assertTrue(AccessTokens.audience(token).contains(otherServer));
        assertFalse(AccessTokens.audience(token).contains(stack.mcpUrl()));

        assertChallenge(new McpHttp(stack.mcpUrl()).post(token, null, McpHttp.initializeRequest()), 401, "invalid_token", "mcp:tools");
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        McpOAuthClient client = client();
        stack.admin.setClientAttribute(client.clientId, "access.token.lifespan", "6");
        String token = token(client, "mcp:tools");
        McpHttp mcp = new McpHttp(stack.mcpUrl());
        mcp.initialize(token);
        long expiresAt = ((Number) AccessTokens.claims(token).get("exp")).longValue();
        Thread.sleep(Math.max(0, (expiresAt + 1) * 1000 - System.currentTimeMillis()));
        assertChallenge(mcp.post(token, null, McpHttp.initializeRequest()), 401, "invalid_token", "mcp:tools");
    }

    @Test
    void tokensOutsideTheAuthorizationHeaderAreRefused() {
        String token = (String) client().tokensFor(stack.mcpUrl(), "alice", "alice").get("access_token");
        Http http = new Http();
        HttpResponse<String> inQuery = http.postJson(stack.mcpUrl() + "?access_token=" + token, McpHttp.initializeRequest(),
                "Accept", McpHttp.ACCEPT);
        assertChallenge(inQuery, 400, "invalid_request", "mcp:tools");
        HttpResponse<String> alsoInQuery = http.postJson(stack.mcpUrl() + "?access_token=" + token, McpHttp.initializeRequest(),
                "Accept", McpHttp.ACCEPT, "Authorization", "Bearer " + token);
        assertChallenge(alsoInQuery, 400, "invalid_request", "mcp:tools");
        HttpResponse<String> inForm = http.postForm(stack.mcpUrl(), Map.of("access_token", token), "Accept", McpHttp.ACCEPT);
        assertChallenge(inForm, 400, "invalid_request", "mcp:tools");
        HttpResponse<String> twoHeaders = http.send(Http.request(stack.mcpUrl(), "Accept", McpHttp.ACCEPT, "Content-Type", "application/json",
                "Authorization", "Bearer " + token, "Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(McpHttp.initializeRequest())).build());
        assertChallenge(twoHeaders, 400, "invalid_request", "mcp:tools");
        // The same token in the header alone is fine.
        assertEquals(200, new McpHttp(stack.mcpUrl()).post(token, null, McpHttp.initializeRequest()).statusCode());
    }

    @Test
    void tokenWithoutTheBaseScopeGetsInsufficientScope() {
        McpOAuthClient client = client();
        String token = token(client, "profile");
        assertTrue(AccessTokens.audience(token).contains(stack.mcpUrl()), "bound to the server even without the scope");
        assertChallenge(new McpHttp(stack.mcpUrl()).post(token, null, McpHttp.initializeRequest()), 403, "insufficient_scope", "mcp:tools");
    }

    @Test
    void writeToolStepsUpAndWorksAfterReauthorization() {
        McpOAuthClient client = client();
        String readToken = token(client, "mcp:tools");
        McpHttp mcp = new McpHttp(stack.mcpUrl());
        String session = mcp.initialize(readToken);
        assertEquals(200, mcp.callTool(readToken, session, "list_notes", Map.of()).statusCode(), "reading needs only the base scope");

        // 1. The write tool is refused with every scope it needs.
        HttpResponse<String> refused = mcp.callTool(readToken, session, "add_note", Map.of("text", "buy milk"));
        assertChallenge(refused, 403, "insufficient_scope", BOTH_SCOPES);

        // 2. The client re-authorizes with the challenge's scope: still signed in, so only the consent for the new scope.
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, stack.mcpUrl());
        request.put("scope", McpHttp.challenge(refused).get("scope"));
        HttpConsentPage consent = new HttpConsentPage(client.http, client.http.followWithinServer(client.authorize(request)));
        assertTrue(consent.scopesText().contains("change your data"), consent.scopesText());
        HttpResponse<String> tokens = client.exchange(client.code(consent.allow(), request.get("state")), pkce.verifier(), stack.mcpUrl());
        assertEquals(200, tokens.statusCode(), tokens::body);
        String writeToken = (String) Json.object(tokens.body()).get("access_token");
        assertTrue(((String) AccessTokens.claims(writeToken).get("scope")).contains("mcp:tools:write"));

        // 3. The same call now succeeds, and the note is there.
        HttpResponse<String> added = mcp.callTool(writeToken, session, "add_note", Map.of("text", "buy milk"));
        assertEquals(200, added.statusCode(), added::body);
        assertEquals("Noted", text(McpHttp.message(added)));
        assertEquals("buy milk", text(McpHttp.message(mcp.callTool(writeToken, session, "list_notes", Map.of()))));
    }

    @Test
    void mcpSessionServesOnlyItsClientAndUser() {
        String owner = (String) client().tokensFor(stack.mcpUrl(), "alice", "alice").get("access_token");
        String other = (String) client().tokensFor(stack.mcpUrl(), "alice", "alice").get("access_token");
        McpHttp mcp = new McpHttp(stack.mcpUrl());
        String session = mcp.initialize(owner);
        assertEquals(200, mcp.callTool(owner, session, "whoami", Map.of()).statusCode());
        HttpResponse<String> hijack = mcp.callTool(other, session, "whoami", Map.of());
        assertEquals(404, hijack.statusCode(), "a session id is not a credential");
    }

    @Test
    void toolsListDocumentsTheScopesEachToolNeeds() {
        String token = (String) client().tokensFor(stack.mcpUrl(), "alice", "alice").get("access_token");
        Map<String, McpSchema.Tool> tools = McpToolCalls.listTools(stack.mcpUrl(), token);
        assertEquals(List.of("mcp:tools", "mcp:tools:write"), tools.get("add_note").meta().get("dev.keycloakmcp/required-scopes"));
        assertTrue(tools.get("add_note").description().contains("Needs scope: " + BOTH_SCOPES));
        assertEquals(false, tools.get("add_note").annotations().readOnlyHint());
        assertEquals(List.of("mcp:tools"), tools.get("whoami").meta().get("dev.keycloakmcp/required-scopes"));
        assertEquals(true, tools.get("list_notes").annotations().readOnlyHint());
    }

    @Test
    @SuppressWarnings("unchecked")
    void anMcp20260728ClientIsServedStatelessly() {
        String token = (String) client().tokensFor(stack.mcpUrl(), "alice", "alice").get("access_token");
        Map<String, Object> meta = Map.of("_meta", Map.of("io.modelcontextprotocol/protocolVersion", "2026-07-28"));
        Http http = new Http();
        HttpResponse<String> discover = http.postJson(stack.mcpUrl(), Json.write(Map.of("jsonrpc", "2.0", "id", 1, "method", "server/discover",
                "params", meta)), "Accept", McpHttp.ACCEPT, "Authorization", "Bearer " + token, "MCP-Protocol-Version", "2026-07-28",
                "Mcp-Method", "server/discover");
        assertEquals(200, discover.statusCode(), discover::body);
        assertEquals(List.of("2026-07-28"), ((Map<String, Object>) McpHttp.message(discover).get("result")).get("supportedVersions"));

        Map<String, Object> params = new java.util.HashMap<>(meta);
        params.putAll(Map.of("name", "whoami", "arguments", Map.of()));
        HttpResponse<String> whoami = http.postJson(stack.mcpUrl(), Json.write(Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/call",
                "params", params)), "Accept", McpHttp.ACCEPT, "Authorization", "Bearer " + token, "MCP-Protocol-Version", "2026-07-28",
                "Mcp-Method", "tools/call", "Mcp-Name", "whoami");
        assertEquals(200, whoami.statusCode(), whoami::body);
        assertEquals("alice", text(McpHttp.message(whoami)), "no session, no initialize: the token's user");
    }

    @SuppressWarnings("unchecked")
    private static String text(Map<String, Object> message) {
        assertNull(message.get("error"), message::toString);
        Map<String, Object> result = (Map<String, Object>) message.get("result");
        assertNotError(result);
        return (String) ((List<Map<String, Object>>) result.get("content")).get(0).get("text");
    }

    private static void assertNotError(Map<String, Object> result) {
        assertFalse(Boolean.TRUE.equals(result.get("isError")), result::toString);
    }
}
