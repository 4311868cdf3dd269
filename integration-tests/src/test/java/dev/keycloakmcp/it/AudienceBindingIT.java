package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.keycloakmcp.core.KeycloakFeature;
import dev.keycloakmcp.it.pages.HttpConsentPage;
import dev.keycloakmcp.it.pages.HttpSignInPage;
import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Compat;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.McpHttp;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.it.support.RunningKeycloak;
import dev.keycloakmcp.sample.SampleServerConfig;

/**
 * Several authorizations of one client in one browser (one sign-in session), for different MCP servers and for none:
 * every token keeps the audience it was issued with — through refreshes and at introspection — whatever the other
 * authorizations of the same session asked for.
 */
@McpStackTest
class AudienceBindingIT {

    private static final String SERVER_B_SECRET = "test-only-secret";

    private static McpStack stack;
    /** Server A is the sample server; B is a second MCP server registered in the realm. */
    private static String serverA;
    private static String serverB;

    @BeforeAll
    static void setUp() throws Exception {
        serverA = stack.mcpUrl();
        serverB = "http://localhost:" + KeycloakDistribution.freePort() + "/mcp";
        stack.admin.registerMcpServer(serverB);
    }

    /** A self-registered client (consent asked every time) or an admin-created one (consent remembered: later authorizations are silent). */
    private static McpOAuthClient client(String kind) {
        if (kind.equals("self-registered")) {
            return McpOAuthClient.register(stack, "Audience binding IT");
        }
        String clientId = "audience-binding-" + UUID.randomUUID();
        stack.admin.createPublicClient(clientId, McpOAuthClient.REDIRECT_URI, Map.of("mcp.client", "preregistered"));
        stack.admin.setClientConsentRequired(clientId);
        return McpOAuthClient.preregistered(stack, clientId);
    }

    /** One authorization for {@code resource} (null: none) in the client's browser, signing in only the first time. */
    private static Tokens authorize(McpOAuthClient client, String resource) {
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, resource);
        HttpResponse<String> page = client.http.followWithinServer(client.authorize(request));
        if (page.statusCode() == 200 && HttpSignInPage.isShownBy(page)) {
            page = new HttpSignInPage(client.http, page).signIn("alice", "alice");
        }
        if (page.statusCode() == 200) {
            page = new HttpConsentPage(client.http, page).allow();
        }
        HttpResponse<String> exchanged = client.exchange(client.code(page, request.get("state")), pkce.verifier(), resource);
        assertEquals(200, exchanged.statusCode(), exchanged::body);
        return Tokens.of(exchanged);
    }

    private static Tokens refresh(McpOAuthClient client, Tokens tokens, String resource) {
        HttpResponse<String> refreshed = client.refresh(tokens.refresh, resource);
        assertEquals(200, refreshed.statusCode(), refreshed::body);
        return Tokens.of(refreshed);
    }

    /** The MCP servers among an access token's audience. */
    private static List<Object> servers(Tokens tokens) {
        return servers(AccessTokens.audience(tokens.access));
    }

    /** The MCP servers among an {@code aud} value (a string or a list). */
    private static List<Object> servers(Object audience) {
        List<Object> values = new ArrayList<>(audience instanceof List<?> list ? list : audience == null ? List.of() : List.of(audience));
        values.retainAll(List.of(serverA, serverB));
        return values;
    }

    @Compat
    @ParameterizedTest(name = "{0} client, {1} authorized first")
    @CsvSource({"self-registered, A", "self-registered, B", "admin-created, A", "admin-created, B"})
    void eachRefreshTokenKeepsTheServerItWasIssuedFor(String kind, String first) {
        McpOAuthClient client = client(kind);
        String firstServer = first.equals("A") ? serverA : serverB;
        String secondServer = first.equals("A") ? serverB : serverA;

        Tokens forFirst = authorize(client, firstServer);
        Tokens forSecond = authorize(client, secondServer);
        assertEquals(List.of(firstServer), servers(forFirst));
        assertEquals(List.of(secondServer), servers(forSecond));

        // The first server's refresh token, after the second authorization: with its resource and without any.
        Tokens refreshedFirst = refresh(client, forFirst, firstServer);
        assertEquals(List.of(firstServer), servers(refreshedFirst));
        refreshedFirst = refresh(client, refreshedFirst, null);
        assertEquals(List.of(firstServer), servers(refreshedFirst));

        // An authorization without resource in between strips nothing from either server's tokens.
        Tokens unbound = authorize(client, null);
        assertEquals(List.of(), servers(unbound));
        assertEquals(List.of(firstServer), servers(refresh(client, refreshedFirst, null)));
        assertEquals(List.of(secondServer), servers(refresh(client, forSecond, secondServer)));
        assertEquals(List.of(), servers(refresh(client, unbound, null)), "a token for no server stays for no server");

        // The other server's name on a refresh token is refused without using it up.
        Tokens again = authorize(client, firstServer);
        HttpResponse<String> refused = client.refresh(again.refresh, secondServer);
        assertEquals(400, refused.statusCode(), refused::body);
        assertEquals("invalid_target", Json.object(refused.body()).get("error"));
        assertEquals(List.of(firstServer), servers(refresh(client, again, null)));
    }

    @ParameterizedTest(name = "{0} client")
    @CsvSource({"self-registered", "admin-created"})
    void introspectionReportsTheAudienceSignedIntoTheToken(String kind) {
        McpOAuthClient client = client(kind);
        Tokens unbound = authorize(client, null);
        assertNotFor(serverA, introspect(unbound, serverA, SampleServerConfig.DEMO_CLIENT_SECRET), "");

        Tokens forA = authorize(client, serverA);
        assertNotFor(serverA, introspect(unbound, serverA, SampleServerConfig.DEMO_CLIENT_SECRET),
                "a later authorization for A must not make a token for no server acceptable to A");
        HttpResponse<String> atA = new McpHttp(serverA).post(unbound.access, null, McpHttp.initializeRequest());
        assertEquals(401, atA.statusCode(), atA::body);

        authorize(client, serverB);
        assertNotFor(serverB, introspect(unbound, serverB, SERVER_B_SECRET), "");
        assertNotFor(serverB, introspect(forA, serverB, SERVER_B_SECRET), "A's token is not B's");
        Map<String, Object> introspectedA = introspect(forA, serverA, SampleServerConfig.DEMO_CLIENT_SECRET);
        assertEquals(true, introspectedA.get("active"));
        assertEquals(List.of(serverA), servers(introspectedA.get("aud")), "the audience the token was issued with, nothing added");
    }

    @Compat
    @Test
    void refreshedTokenIntrospectsWithItsOwnAudience() {
        McpOAuthClient client = client("self-registered");
        Tokens forA = authorize(client, serverA);
        authorize(client, serverB);
        Tokens refreshed = refresh(client, forA, null);
        assertNotFor(serverB, introspect(refreshed, serverB, SERVER_B_SECRET), "");
        assertEquals(true, introspect(refreshed, serverA, SampleServerConfig.DEMO_CLIENT_SECRET).get("active"));
    }

    /**
     * What an MCP server learns by introspecting a token not issued for it: inactive where Keycloak checks the
     * audience at introspection (26.7); before, any client of the realm may introspect, and {@code aud} does not name it.
     */
    private static void assertNotFor(String server, Map<String, Object> introspected, String message) {
        if (RunningKeycloak.has(KeycloakFeature.INTROSPECTION_AUDIENCE_CHECK)) {
            assertEquals(Map.of("active", false), introspected, message);
        } else {
            assertEquals(true, introspected.get("active"), message);
            assertFalse(servers(introspected.get("aud")).contains(server), message + " " + introspected);
        }
    }

    /** RFC 7662 introspection of the access token by an MCP server with its own client credentials. */
    private static Map<String, Object> introspect(Tokens tokens, String server, String secret) {
        HttpResponse<String> response = new Http().postForm(stack.issuer() + "/protocol/openid-connect/token/introspect",
                Map.of("token", tokens.access, "client_id", server, "client_secret", secret));
        assertEquals(200, response.statusCode(), response::body);
        return Json.object(response.body());
    }

    private record Tokens(String access, String refresh) {
        static Tokens of(HttpResponse<String> response) {
            Map<String, Object> body = Json.object(response.body());
            return new Tokens((String) body.get("access_token"), (String) body.get("refresh_token"));
        }
    }
}
