package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.spec.McpSchema;

import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Compat;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.InstallScript;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.McpToolCalls;
import dev.keycloakmcp.it.support.PrometheusText;
import dev.keycloakmcp.sample.McpSampleServer;
import dev.keycloakmcp.sample.SampleServerConfig;
import dev.keycloakmcp.sample.downstream.DownstreamApi;
import dev.keycloakmcp.sample.downstream.DownstreamApiConfig;

/**
 * On-behalf-of (docs/on-behalf-of.md): the sample MCP server's {@code downstream_profile} tool calls the sample
 * downstream API as the signed-in user, with a token Keycloak issues in exchange for the user's MCP token (RFC 8693,
 * standard token exchange), set up by the demo realm file with the least permission. The MCP token itself is refused
 * by the API; the exchanged one names only the API and only the tool's scope; a second call uses the cached token.
 */
@McpStackTest
class OnBehalfOfIT {

    private static final String AUDIENCE = SampleServerConfig.DEMO_DOWNSTREAM_AUDIENCE;
    private static final String SCOPE = "downstream:read";

    private static McpStack stack;
    private static DownstreamApi api;
    private static String profileUrl;

    @BeforeAll
    static void startDownstreamApi() throws Exception {
        // The realm knows the API by its identifier (its client id); where it listens is the test's choice.
        api = DownstreamApi.start(DownstreamApiConfig.fromEnvironment(new String[0], Map.of("DOWNSTREAM_ISSUER", stack.issuer(),
                "DOWNSTREAM_PORT", "0")));
        profileUrl = "http://localhost:" + api.port() + "/api/profile";
    }

    @AfterAll
    static void stopDownstreamApi() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    /** A sample MCP server for the stack's MCP server URL (its tokens), calling the test's downstream API, with metrics. */
    private static McpSampleServer server(Map<String, String> settings) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(Map.of("MCP_DOWNSTREAM_URL", profileUrl, "MCP_METRICS_PORT", "0"));
        env.putAll(settings);
        return McpSampleServer.start(McpStack.sampleConfig(stack.keycloak, stack.mcpUrl(), KeycloakDistribution.freePort(), env));
    }

    private static String url(McpSampleServer server) {
        return "http://localhost:" + server.port() + "/mcp";
    }

    private static String aliceToken() {
        return (String) McpOAuthClient.register(stack, "On-behalf-of IT").tokensFor(stack.mcpUrl(), "alice", "alice").get("access_token");
    }

    private static PrometheusText metrics(McpSampleServer server) {
        return PrometheusText.scrape("http://localhost:" + server.metricsPort().getAsInt() + "/metrics");
    }

    /** The exchange the sample server makes, made here with its credentials, to look at the token Keycloak issues. */
    private static HttpResponse<String> exchange(String clientId, String clientSecret, String subjectToken, String scope) {
        return exchange(stack.issuer(), clientId, clientSecret, subjectToken, scope);
    }

    private static HttpResponse<String> exchange(String issuer, String clientId, String clientSecret, String subjectToken, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
        form.put("client_id", clientId);
        if (clientSecret != null) {
            form.put("client_secret", clientSecret);
        }
        form.put("subject_token", subjectToken);
        form.put("subject_token_type", "urn:ietf:params:oauth:token-type:access_token");
        form.put("requested_token_type", "urn:ietf:params:oauth:token-type:access_token");
        form.put("audience", AUDIENCE);
        form.put("scope", scope);
        return new Http().postForm(issuer + "/protocol/openid-connect/token", form);
    }

    private static HttpResponse<String> profile(String token) {
        return token == null ? new Http().get(profileUrl) : new Http().get(profileUrl, "Authorization", "Bearer " + token);
    }

    @Compat
    @Test
    void toolAnswersAsTheUserAndTheSecondCallUsesTheCachedToken() throws Exception {
        try (McpSampleServer server = server(Map.of())) {
            String token = aliceToken();
            for (int call = 1; call <= 2; call++) {
                McpSchema.CallToolResult result = McpToolCalls.call(url(server), token, "downstream_profile", Map.of());
                String text = ((McpSchema.TextContent) result.content().get(0)).text();
                assertFalse(Boolean.TRUE.equals(result.isError()), text);
                Map<String, Object> profile = Json.object(text);
                assertEquals("alice", profile.get("username"));
                assertEquals(stack.mcpUrl(), profile.get("client"), "the MCP server's client asked for the token, for alice");
                assertEquals(SCOPE, profile.get("scope"));
            }
            PrometheusText metrics = metrics(server);
            assertEquals(1, metrics.sum("mcp_sample_token_exchange_total", Map.of("outcome", "exchanged")), "one exchange at Keycloak");
            assertEquals(1, metrics.sum("mcp_sample_token_exchange_total", Map.of("outcome", "cached")), "the second call's token");
        }
    }

    @Compat
    @Test
    void exchangedTokenNamesOnlyTheApiAndTheToolsScope() {
        String mcpToken = aliceToken();
        HttpResponse<String> exchanged = exchange(stack.mcpUrl(), SampleServerConfig.DEMO_CLIENT_SECRET, mcpToken, SCOPE);
        assertEquals(200, exchanged.statusCode(), exchanged::body);
        Map<String, Object> body = Json.object(exchanged.body());
        assertNull(body.get("refresh_token"), "no refresh token for an exchanged token");
        assertEquals("urn:ietf:params:oauth:token-type:access_token", body.get("issued_token_type"));
        String token = (String) body.get("access_token");
        Map<String, Object> claims = AccessTokens.claims(token);
        assertEquals(List.of(AUDIENCE), AccessTokens.audience(token), "aud: the API only, not the MCP server");
        assertEquals(SCOPE, claims.get("scope"), "scope: only the tool's");
        assertEquals(stack.mcpUrl(), claims.get("azp"));
        assertEquals(AccessTokens.claims(mcpToken).get("sub"), claims.get("sub"), "still alice");

        assertEquals(200, profile(token).statusCode(), "the API takes the exchanged token");
    }

    @Compat
    @Test
    void apiRefusesTheMcpTokenAndNoToken() {
        String mcpToken = aliceToken();
        HttpResponse<String> passedThrough = profile(mcpToken);
        assertEquals(401, passedThrough.statusCode(), "the MCP token is for the MCP server, not for the API");
        assertEquals("Bearer error=\"invalid_token\"", passedThrough.headers().firstValue("WWW-Authenticate").orElse(""));
        HttpResponse<String> none = profile(null);
        assertEquals(401, none.statusCode());
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void anExchangeTheRealmDoesNotAllowIsAToolError() throws Exception {
        // mcp:tools:write is no scope of the MCP server's client: Keycloak refuses, the user reads why.
        try (McpSampleServer server = server(Map.of("MCP_DOWNSTREAM_SCOPE", "mcp:tools:write"))) {
            McpSchema.CallToolResult result = McpToolCalls.call(url(server), aliceToken(), "downstream_profile", Map.of());
            String text = ((McpSchema.TextContent) result.content().get(0)).text();
            assertEquals(Boolean.TRUE, result.isError(), text);
            assertTrue(text.contains("Keycloak refused to exchange your token") && text.contains("invalid_scope"), text);
            assertEquals(1, metrics(server).sum("mcp_sample_token_exchange_total", Map.of("outcome", "refused")));
        }
        // An audience the realm does not put in reach of the scope: refused too.
        try (McpSampleServer server = server(Map.of("MCP_DOWNSTREAM_AUDIENCE", "demo-agent"))) {
            McpSchema.CallToolResult result = McpToolCalls.call(url(server), aliceToken(), "downstream_profile", Map.of());
            String text = ((McpSchema.TextContent) result.content().get(0)).text();
            assertEquals(Boolean.TRUE, result.isError(), text);
            assertTrue(text.contains("Keycloak refused to exchange your token"), text);
        }
    }

    @Test
    void theMcpClientItselfCannotExchangeTheUsersToken() {
        McpOAuthClient client = McpOAuthClient.register(stack, "On-behalf-of IT: exchanging client");
        String mcpToken = (String) client.tokensFor(stack.mcpUrl(), "alice", "alice").get("access_token");
        // A self-registered MCP client is public and has no token exchange: Keycloak refuses before looking at the token.
        HttpResponse<String> refused = exchange(client.clientId, null, mcpToken, SCOPE);
        assertEquals(400, refused.statusCode(), refused::body);
        assertEquals("invalid_request", Json.object(refused.body()).get("error"));
        assertEquals("Standard token exchange is not enabled for the requested client", Json.object(refused.body()).get("error_description"));
        // Nor the MCP server for a scope it does not have, nor without its secret.
        HttpResponse<String> overBroad = exchange(stack.mcpUrl(), SampleServerConfig.DEMO_CLIENT_SECRET, mcpToken, SCOPE + " mcp:tools:write");
        assertEquals(400, overBroad.statusCode(), overBroad::body);
        assertEquals("invalid_scope", Json.object(overBroad.body()).get("error"));
        HttpResponse<String> noSecret = exchange(stack.mcpUrl(), null, mcpToken, SCOPE);
        assertEquals(401, noSecret.statusCode(), noSecret::body);
    }

    @Test
    void installScriptSetsUpTheExchangeInAnExistingRealm() throws Exception {
        String realm = "obo-existing";
        String resource = "http://localhost:" + KeycloakDistribution.freePort() + "/mcp";
        String serverSecret = "test-only-obo-server-secret";
        stack.admin.createRealm(Map.of("realm", realm, "enabled", true,
                "users", List.of(Map.of("username", "erin", "enabled", true, "email", "erin@obo.example", "emailVerified", true,
                        "firstName", "Erin", "lastName", "Obo", "credentials", List.of(Map.of("type", "password", "value", "erin", "temporary", false))))));
        Map<String, String> settings = Map.of("MCP_SERVER_SECRET", serverSecret, "DOWNSTREAM_API", AUDIENCE,
                "DOWNSTREAM_API_SECRET", "test-only-obo-api-secret");
        String output = InstallScript.run(stack.keycloak, realm, resource, settings).output();
        assertTrue(output.contains("downstream API " + AUDIENCE + ": registered"), output);
        String again = InstallScript.run(stack.keycloak, realm, resource, settings).output();
        assertTrue(again.contains("downstream API " + AUDIENCE + ": already registered"), again);

        String issuer = stack.keycloak.issuer(realm);
        Map<String, Object> metadata = Json.object(new Http().get(issuer + "/.well-known/openid-configuration").body());
        McpOAuthClient client = McpOAuthClient.register(metadata, McpOAuthClient.typicalRegistration("On-behalf-of IT, existing realm"));
        String mcpToken = (String) client.tokensFor(resource, "erin", "erin").get("access_token");

        HttpResponse<String> exchanged = exchange(issuer, resource, serverSecret, mcpToken, SCOPE);
        assertEquals(200, exchanged.statusCode(), exchanged::body);
        Map<String, Object> body = Json.object(exchanged.body());
        assertNull(body.get("refresh_token"));
        String token = (String) body.get("access_token");
        assertEquals(List.of(AUDIENCE), AccessTokens.audience(token));
        assertEquals(SCOPE, AccessTokens.claims(token).get("scope"), "the server's client kept no default scope that widens it");
        assertEquals(AccessTokens.claims(mcpToken).get("sub"), AccessTokens.claims(token).get("sub"), "still erin");

        HttpResponse<String> byTheMcpClient = exchange(issuer, client.clientId, null, mcpToken, SCOPE);
        assertEquals(400, byTheMcpClient.statusCode(), byTheMcpClient::body);
        assertFalse(((List<?>) metadata.get("scopes_supported")).contains(SCOPE), "not offered to MCP clients");
    }
}
