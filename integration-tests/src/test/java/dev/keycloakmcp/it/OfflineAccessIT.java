package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.PartialImportRepresentation;
import org.keycloak.representations.idm.UserSessionRepresentation;
import org.keycloak.util.JsonSerialization;

import dev.keycloakmcp.it.fixtures.ClientDocuments;
import dev.keycloakmcp.it.fixtures.ClientDocuments.ClientDocument;
import dev.keycloakmcp.it.pages.Browser;
import dev.keycloakmcp.it.pages.BrowserSignInPage;
import dev.keycloakmcp.it.pages.HttpConsentPage;
import dev.keycloakmcp.it.pages.HttpSignInPage;
import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.AccountApplications;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.McpToolCalls;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.it.support.RealmAdmin;

/**
 * {@code offline_access} as MCP 2026-07-28 clients ask for it: a refresh token that outlives the browser session, bound to
 * the same MCP server, rotating, shown on the consent page, revocable by the user, the admin and the client; and an
 * ordinary refresh token, never a failed code exchange, for a user who may not have it.
 */
@McpStackTest
class OfflineAccessIT {

    static final String OFFLINE_SCOPE = "mcp:tools offline_access";
    static final String STAY_CONNECTED = "Stay connected when you are not signed in";

    private static McpStack stack;
    private static RealmAdmin admin;

    @BeforeAll
    static void setUp() {
        admin = stack.admin;
        // A user as an existing realm may have them: imported without the realm's default roles, so no offline_access.
        PartialImportRepresentation users = JsonSerialization.mapper.convertValue(Map.of("ifResourceExists", "SKIP",
                "users", List.of(Map.of("username", "norole", "enabled", true, "email", "norole@example.com", "emailVerified", true,
                        "firstName", "No", "lastName", "Role",
                        "credentials", List.of(Map.of("type", "password", "value", "norole", "temporary", false))))),
                PartialImportRepresentation.class);
        try (Response imported = admin.realm().partialImport(users)) {
            assertEquals(200, imported.getStatus());
        }
    }

    /** Signs in (each test user's password is its name) and allows {@code scope}; the consent page and the token response. */
    private static Grant grant(McpOAuthClient client, String scope, String username) {
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, stack.mcpUrl());
        request.put("scope", scope);
        HttpConsentPage consent = new HttpConsentPage(client.http, new HttpSignInPage(client.http, client.authorize(request)).signIn(username, username));
        String code = client.code(consent.allow(), request.get("state"));
        HttpResponse<String> tokens = client.exchange(code, pkce.verifier(), stack.mcpUrl());
        assertEquals(200, tokens.statusCode(), tokens::body);
        return new Grant(consent.requestedScopes(), Json.object(tokens.body()));
    }

    record Grant(List<String> consentScopes, Map<String, Object> tokens) {
        String refreshToken() {
            return (String) tokens.get("refresh_token");
        }

        String refreshTokenType() {
            return (String) AccessTokens.claims(refreshToken()).get("typ");
        }

        List<String> scope() {
            return List.of(((String) tokens.get("scope")).split(" "));
        }
    }

    /**
     * Ends each browser session of the user, as Sessions → Sign out does per session (and as SSO Session Idle would);
     * not the user's "Sign out" action, which also revokes every token issued so far (not-before).
     */
    private static String userId(String username) {
        return admin.realm().users().search(username, true).get(0).getId();
    }

    private static void endBrowserSessions(String username) {
        UserResource user = admin.realm().users().get(userId(username));
        List<UserSessionRepresentation> sessions = user.getUserSessions();
        assertFalse(sessions.isEmpty());
        // Each 204, or the admin client throws.
        sessions.forEach(session -> admin.realm().deleteSession(session.getId(), false));
        assertTrue(user.getUserSessions().isEmpty());
    }

    private static void assertRefused(HttpResponse<String> refresh) {
        assertEquals(400, refresh.statusCode(), refresh::body);
        assertEquals("invalid_grant", Json.object(refresh.body()).get("error"));
    }

    @Test
    void offlineTokenOutlivesTheSessionAndStaysBound() {
        McpOAuthClient client = McpOAuthClient.register(stack, "Offline IT");
        Grant offline = grant(client, OFFLINE_SCOPE, "alice");
        assertTrue(offline.consentScopes().stream().anyMatch(text -> text.startsWith(STAY_CONNECTED)), offline.consentScopes()::toString);
        assertEquals("Offline", offline.refreshTokenType());
        assertTrue(offline.scope().contains("offline_access"), offline.scope()::toString);

        // Without offline_access: an ordinary refresh token.
        Grant online = grant(McpOAuthClient.register(stack, "Online IT"), "mcp:tools", "alice");
        assertEquals("Refresh", online.refreshTokenType());
        assertFalse(online.consentScopes().stream().anyMatch(text -> text.startsWith(STAY_CONNECTED)));

        // The user's browser sessions end (as after SSO Session Idle or a sign-out): the ordinary one dies, the offline one lives on.
        endBrowserSessions("alice");
        assertRefused(McpOAuthClient.preregistered(stack, (String) AccessTokens.claims(online.refreshToken()).get("azp"))
                .refresh(online.refreshToken(), stack.mcpUrl()));

        HttpResponse<String> refreshed = client.refresh(offline.refreshToken(), null);
        assertEquals(200, refreshed.statusCode(), refreshed::body);
        Map<String, Object> tokens = Json.object(refreshed.body());
        assertEquals(List.of(stack.mcpUrl()), AccessTokens.audience((String) tokens.get("access_token")), "still bound to the MCP server");
        String next = (String) tokens.get("refresh_token");
        assertNotEquals(offline.refreshToken(), next);
        assertEquals("Offline", AccessTokens.claims(next).get("typ"));
        String whoami = McpToolCalls.callText(stack.mcpUrl(), (String) tokens.get("access_token"), "whoami", Map.of());
        assertEquals("alice", whoami, "the MCP server accepts the token after the browser session ended");

        // Reuse detection as for any refresh token: replaying a used one is refused and ends the chain, the newest included.
        assertRefused(client.refresh(offline.refreshToken(), null));
        assertRefused(client.refresh(next, null));
    }

    @Test
    void userWithoutOfflineRoleGetsOrdinaryRefreshToken() {
        McpOAuthClient client = McpOAuthClient.register(stack, "No role IT");
        Grant grant = grant(client, OFFLINE_SCOPE, "norole");
        assertFalse(grant.consentScopes().stream().anyMatch(text -> text.startsWith(STAY_CONNECTED)),
                () -> "the consent page does not promise it: " + grant.consentScopes());
        assertEquals("Refresh", grant.refreshTokenType());
        assertFalse(grant.scope().contains("offline_access"), "the token response says it was not granted");
        HttpResponse<String> refreshed = client.refresh(grant.refreshToken(), stack.mcpUrl());
        assertEquals(200, refreshed.statusCode(), refreshed::body);
    }

    static Stream<String> clientKinds() {
        return Stream.of("metadata-document", "preregistered");
    }

    @ParameterizedTest
    @MethodSource("clientKinds")
    void documentAndAdminCreatedClientsGetOfflineTokens(String kind) {
        McpOAuthClient client;
        if (kind.equals("metadata-document")) {
            ClientDocument shape = ClientDocuments.claudeCode();
            client = McpOAuthClient.identifiedByDocument(stack, stack.documents.publish(shape.document()), shape.redirectUri());
        } else {
            String clientId = "offline-admin-created";
            ClientRepresentation preregistered = new ClientRepresentation();
            preregistered.setClientId(clientId);
            preregistered.setPublicClient(true);
            preregistered.setConsentRequired(true);
            preregistered.setRedirectUris(List.of(McpOAuthClient.REDIRECT_URI));
            preregistered.setDefaultClientScopes(List.of("mcp-audience", "profile", "email"));
            preregistered.setOptionalClientScopes(List.of("mcp:tools", "offline_access"));
            preregistered.setAttributes(Map.of("mcp.client", "preregistered"));
            try (Response created = admin.realm().clients().create(preregistered)) {
                assertEquals(201, created.getStatus());
            }
            client = McpOAuthClient.preregistered(stack, clientId);
        }
        Grant grant = grant(client, OFFLINE_SCOPE, "alice");
        assertEquals("Offline", grant.refreshTokenType());
        assertEquals(List.of(stack.mcpUrl()), AccessTokens.audience((String) grant.tokens().get("access_token")));
    }

    @Test
    void theUserTheAdminAndTheClientCanEachRevokeIt() {
        String alice = userId("alice");

        // The user: Account Console → Applications lists the client with offline access; removing its access ends it.
        McpOAuthClient byUser = McpOAuthClient.register(stack, "Revoked by the user IT");
        Grant userGrant = grant(byUser, OFFLINE_SCOPE, "alice");
        AccountApplications applications = AccountApplications.of(stack, "alice");
        Map<String, Object> listed = applications.application(byUser.clientId).orElseThrow(() -> new AssertionError("not listed"));
        assertEquals(Boolean.TRUE, listed.get("offlineAccess"));
        HttpResponse<String> removed = applications.removeAccess(byUser.clientId);
        assertEquals(204, removed.statusCode(), removed::body);
        assertRefused(byUser.refresh(userGrant.refreshToken(), null));

        // The admin: Users → alice → Consents → Revoke.
        McpOAuthClient byAdmin = McpOAuthClient.register(stack, "Revoked by the admin IT");
        Grant adminGrant = grant(byAdmin, OFFLINE_SCOPE, "alice");
        // 204, or the admin client throws.
        admin.realm().users().get(alice).revokeConsent(byAdmin.clientId);
        assertRefused(byAdmin.refresh(adminGrant.refreshToken(), null));

        // The client itself, signing out through the revocation endpoint the metadata names.
        McpOAuthClient byClient = McpOAuthClient.register(stack, "Revoked by the client IT");
        Grant clientGrant = grant(byClient, OFFLINE_SCOPE, "alice");
        HttpResponse<String> revoked = new Http().postForm((String) byClient.metadata.get("revocation_endpoint"),
                Map.of("client_id", byClient.clientId, "token", clientGrant.refreshToken(), "token_type_hint", "refresh_token"));
        assertEquals(200, revoked.statusCode(), revoked::body);
        assertRefused(byClient.refresh(clientGrant.refreshToken(), null));
    }

    @Test
    void accountConsoleListsTheUsersMcpApplications() {
        McpOAuthClient client = McpOAuthClient.register(stack, "Listed in the Account Console IT");
        grant(client, OFFLINE_SCOPE, "alice");
        try (Browser browser = new Browser("en")) {
            browser.open(stack.keycloak.baseUrl() + "/realms/mcp/account/applications");
            new BrowserSignInPage(browser).signIn("alice", "alice");
            boolean listed = browser.waitForText("Listed in the Account Console IT");
            browser.screenshot("account-console-applications");
            assertTrue(listed, () -> "The Account Console did not list the MCP client: " + browser.currentUrl());
        }
    }

}
