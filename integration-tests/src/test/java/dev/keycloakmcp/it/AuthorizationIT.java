package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keycloakmcp.core.KeycloakFeature;
import dev.keycloakmcp.it.pages.HttpConsentPage;
import dev.keycloakmcp.it.pages.HttpSignInPage;
import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Compat;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.it.support.RealmAdmin;
import dev.keycloakmcp.it.support.RunningKeycloak;

/**
 * What an MCP client gets wrong, or an attacker tries, on the authorization and token endpoints and at the MCP
 * server: each is refused with the standard error, and tokens are only ever good for the server they name.
 */
@McpStackTest
class AuthorizationIT {

    private static final String UNKNOWN_RESOURCE = "https://unknown.example.com/mcp";

    private static McpStack stack;

    private static McpOAuthClient client() {
        return McpOAuthClient.register(stack, "Authorization IT");
    }

    private static void assertRedirectError(HttpResponse<String> response, String error) {
        Map<String, String> query = McpOAuthClient.redirectQuery(response);
        assertEquals(error, query.get("error"), query.toString());
        assertNull(query.get("code"));
    }

    @Compat
    @Test
    void authorizationWithoutPkceIsRefused() {
        McpOAuthClient client = client();
        assertRedirectError(client.authorize(client.authorizationRequest(null, stack.mcpUrl())), "invalid_request");
    }

    @Test
    void pkceIsForcedOnPreRegisteredMcpClientsToo() {
        String clientId = "preregistered-" + java.util.UUID.randomUUID();
        // No pkce.code.challenge.method on the client: only the pack's MCP-client checks can refuse this.
        stack.admin.createPublicClient(clientId, McpOAuthClient.REDIRECT_URI, Map.of("mcp.client", "preregistered"));
        McpOAuthClient client = McpOAuthClient.preregistered(stack, clientId);

        assertRedirectError(client.authorize(client.authorizationRequest(null, stack.mcpUrl())), "invalid_request");
        assertRedirectError(client.authorize(client.authorizationRequest(Pkce.create(), UNKNOWN_RESOURCE)), "invalid_target");
    }

    @Test
    void theRealmsOtherClientsKeepKeycloaksBehaviour() {
        String clientId = "regular-" + java.util.UUID.randomUUID();
        stack.admin.createPublicClient(clientId, McpOAuthClient.REDIRECT_URI, Map.of());
        McpOAuthClient client = McpOAuthClient.preregistered(stack, clientId);

        // Stock Keycloak lets a client that is not an MCP client skip PKCE and name any resource; the pack does too.
        Map<String, String> request = client.authorizationRequest(null, UNKNOWN_RESOURCE);
        String code = client.code(new HttpSignInPage(client.http, client.authorize(request)).signIn("alice", "alice"), request.get("state"));
        HttpResponse<String> tokens = client.exchange(code, null, UNKNOWN_RESOURCE);
        assertEquals(200, tokens.statusCode(), tokens.body());
        assertFalse(AccessTokens.audience((String) Json.object(tokens.body()).get("access_token")).contains(UNKNOWN_RESOURCE));
        HttpResponse<String> refreshed = client.refresh((String) Json.object(tokens.body()).get("refresh_token"), UNKNOWN_RESOURCE);
        assertEquals(200, refreshed.statusCode(), refreshed.body());
    }

    @Test
    void requireResourceRefusesRequestsWithoutResource() {
        RealmAdmin admin = stack.admin;
        McpOAuthClient client = client();
        assertEquals(200, client.authorize(client.authorizationRequest(Pkce.create(), null)).statusCode(),
                "by default a request without resource goes on to sign-in");
        admin.setRegistrationPolicy("require-resource", "true");
        try {
            assertRedirectError(client.authorize(client.authorizationRequest(Pkce.create(), null)), "invalid_target");
        } finally {
            admin.setRegistrationPolicy("require-resource", "false");
        }
    }

    @Compat
    @Test
    void plainPkceIsRefused() {
        McpOAuthClient client = client();
        Map<String, String> request = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        String verifier = "a".repeat(64);
        request.put("code_challenge", verifier);
        request.put("code_challenge_method", "plain");
        assertRedirectError(client.authorize(request), "invalid_request");
    }

    @Compat
    @Test
    void resourceNamingNoMcpServerIsRefused() {
        McpOAuthClient client = client();
        assertRedirectError(client.authorize(client.authorizationRequest(Pkce.create(), UNKNOWN_RESOURCE)), "invalid_target");
    }

    @Test
    void tokenRequestWithoutOrWithWrongVerifierFails() {
        McpOAuthClient client = client();
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, stack.mcpUrl());
        String code = client.signInAndConsent(request, "alice", "alice");

        HttpResponse<String> wrong = client.exchange(code, Pkce.create().verifier(), stack.mcpUrl());
        assertEquals(400, wrong.statusCode(), wrong.body());
        assertEquals("invalid_grant", Json.object(wrong.body()).get("error"));

        McpOAuthClient second = client();
        Map<String, String> again = second.authorizationRequest(Pkce.create(), stack.mcpUrl());
        String secondCode = second.signInAndConsent(again, "alice", "alice");
        HttpResponse<String> missing = second.exchange(secondCode, null, stack.mcpUrl());
        assertEquals(400, missing.statusCode(), missing.body());
        assertEquals("invalid_grant", Json.object(missing.body()).get("error"));
    }

    @Compat
    @Test
    void unknownResourceOnTokenAndRefreshIsInvalidTarget() {
        assertCodeExchangeAndRefreshRefused(UNKNOWN_RESOURCE);
    }

    /**
     * A code exchange and a refresh for the sample server that name {@code resource} instead are refused; the refused
     * refresh does not use the refresh token up. Where codes carry their resource (Keycloak 26.7) the code exchange is
     * invalid_target and the code then works for the sample server; before, the client policy's refusal is Keycloak's
     * invalid_grant at the code exchange, with the rule's description, and the code is used up (the compatibility table).
     */
    private static void assertCodeExchangeAndRefreshRefused(String resource) {
        McpOAuthClient client = client();
        Pkce pkce = Pkce.create();
        String code = client.signInAndConsent(client.authorizationRequest(pkce, stack.mcpUrl()), "alice", "alice");
        HttpResponse<String> refused = client.exchange(code, pkce.verifier(), resource);
        HttpResponse<String> exchanged = client.exchange(code, pkce.verifier(), stack.mcpUrl());
        if (RunningKeycloak.has(KeycloakFeature.RESOURCE_IN_CODES)) {
            assertInvalidTarget(refused);
            assertEquals(200, exchanged.statusCode(), exchanged.body());
        } else {
            assertEquals(400, refused.statusCode(), refused.body());
            assertEquals("invalid_grant", Json.object(refused.body()).get("error"));
            assertTrue(String.valueOf(Json.object(refused.body()).get("error_description")).contains("resource"), refused.body());
            assertEquals(400, exchanged.statusCode(), "the refused exchange used the code up: " + exchanged.body());
        }

        McpOAuthClient signedIn = client();
        Map<String, Object> tokens = signedIn.tokensFor(stack.mcpUrl(), "alice", "alice");
        assertInvalidTarget(signedIn.refresh((String) tokens.get("refresh_token"), resource));
        HttpResponse<String> refreshed = signedIn.refresh((String) tokens.get("refresh_token"), stack.mcpUrl());
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        assertEquals(List.of(stack.mcpUrl()), AccessTokens.audience((String) Json.object(refreshed.body()).get("access_token")));
    }

    private static void assertInvalidTarget(HttpResponse<String> response) {
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("invalid_target", Json.object(response.body()).get("error"));
    }

    @Test
    void consentPageShowsAHostileClientNameAsText() {
        String hostile = "<img src=x onerror=alert(1)>";
        Map<String, Object> body = McpOAuthClient.typicalRegistration(hostile);
        McpOAuthClient client = McpOAuthClient.register(
                Json.object(new Http().get(stack.issuer() + "/.well-known/openid-configuration").body()), body);
        HttpResponse<String> consent = new HttpSignInPage(client.http, client.authorize(client.authorizationRequest(Pkce.create(), stack.mcpUrl())))
                .signIn("alice", "alice");
        HttpConsentPage page = new HttpConsentPage(client.http, consent);
        assertTrue(page.title().contains(hostile), page.title());
        assertFalse(page.hasScriptedImage(), "the client name must not become markup");
    }

    @Test
    void tokensStayBoundToTheAuthorizedServer() throws Exception {
        String otherServer = "http://localhost:" + KeycloakDistribution.freePort() + "/mcp";
        stack.admin.registerMcpServer(otherServer);

        // A code exchange or refresh naming another registered server than the one the user authorized.
        assertCodeExchangeAndRefreshRefused(otherServer);

        // A later authorization without resource, in the same sign-in session, gets no audience from the earlier one
        // (signed in already; a self-registered client is asked for consent again).
        McpOAuthClient signedIn = client();
        signedIn.tokensFor(stack.mcpUrl(), "alice", "alice");
        Pkce again = Pkce.create();
        Map<String, String> request = signedIn.authorizationRequest(again, null);
        HttpResponse<String> consent = signedIn.http.followWithinServer(signedIn.authorize(request));
        String laterCode = signedIn.code(new HttpConsentPage(signedIn.http, consent).allow(), request.get("state"));
        HttpResponse<String> unbound = signedIn.exchange(laterCode, again.verifier(), null);
        assertEquals(200, unbound.statusCode(), unbound.body());
        assertFalse(AccessTokens.audience((String) Json.object(unbound.body()).get("access_token")).contains(stack.mcpUrl()));
    }

    @Test
    void pushedAuthorizationRequestsAreCheckedToo() {
        McpOAuthClient client = client();
        Map<String, String> pushed = client.authorizationRequest(Pkce.create(), UNKNOWN_RESOURCE);
        HttpResponse<String> par = client.http.postForm(stack.issuer() + "/protocol/openid-connect/ext/par/request", pushed);
        assertEquals(201, par.statusCode(), par.body());
        String requestUri = (String) Json.object(par.body()).get("request_uri");
        assertRedirectError(client.authorize(Map.of("client_id", client.clientId, "request_uri", requestUri)), "invalid_target");
    }

    @Test
    void onlyTheQueryCarriesTheAnswer() {
        McpOAuthClient client = client();
        Map<String, String> pushed = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        pushed.put("response_mode", "fragment");
        HttpResponse<String> par = client.http.postForm(stack.issuer() + "/protocol/openid-connect/ext/par/request", pushed);
        assertEquals(201, par.statusCode(), par.body());
        String requestUri = (String) Json.object(par.body()).get("request_uri");
        HttpResponse<String> refused = client.authorize(Map.of("client_id", client.clientId, "request_uri", requestUri));
        assertTrue(java.net.URI.create(refused.headers().firstValue("Location").orElseThrow()).getRawQuery() == null,
                "the error comes back in the fragment, as asked, and carries no code");
        assertRedirectError(refused, "invalid_request");
    }

    @Test
    void anMcpClientsAnswerNeverGoesBackToKeycloakItself() {
        // An admin-created MCP client whose redirect URI is Keycloak's own authorization endpoint, passing the code on.
        String clientId = "preregistered-own-origin-" + java.util.UUID.randomUUID();
        String redirectUri = stack.issuer() + "/protocol/openid-connect/auth";
        RealmAdmin admin = stack.admin;
        admin.createPublicClient(clientId, redirectUri, Map.of("mcp.client", "preregistered", "pkce.code.challenge.method", "S256"));
        McpOAuthClient client = McpOAuthClient.preregistered(stack, clientId);
        Map<String, String> request = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        request.put("redirect_uri", redirectUri);
        HttpResponse<String> refused = client.authorize(request);
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("Location").isEmpty(), "an error page, never a redirect there");
        assertTrue(refused.body().contains("own origin"), refused.body());

        // The realm's other clients keep Keycloak's behaviour.
        String regular = "regular-own-origin-" + java.util.UUID.randomUUID();
        admin.createPublicClient(regular, redirectUri, Map.of());
        McpOAuthClient other = McpOAuthClient.preregistered(stack, regular);
        Map<String, String> stock = other.authorizationRequest(Pkce.create(), null);
        stock.put("redirect_uri", redirectUri);
        assertEquals(200, other.authorize(stock).statusCode(), "sign-in, as in stock Keycloak");
    }

    @Test
    void denyingConsentReturnsAccessDenied() {
        McpOAuthClient client = client();
        Map<String, String> request = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        HttpResponse<String> consent = new HttpSignInPage(client.http, client.authorize(request)).signIn("alice", "alice");
        assertRedirectError(new HttpConsentPage(client.http, consent).deny(), "access_denied");
    }

    @Compat
    @Test
    void selfRegisteredClientsAskConsentEveryTime() {
        McpOAuthClient selfRegistered = client();
        selfRegistered.tokensFor(stack.mcpUrl(), "alice", "alice");
        HttpResponse<String> again = selfRegistered.http.followWithinServer(
                selfRegistered.authorize(selfRegistered.authorizationRequest(Pkce.create(), stack.mcpUrl())));
        assertTrue(new HttpConsentPage(selfRegistered.http, again).unverifiedNotice() != null, "asked again, still signed in");
    }

    @Test
    void adminCreatedClientsAskConsentOnce() {
        String clientId = "admin-created-consent-" + System.nanoTime();
        RealmAdmin admin = stack.admin;
        admin.createPublicClient(clientId, McpOAuthClient.REDIRECT_URI, Map.of("mcp.client", "preregistered", "pkce.code.challenge.method", "S256"));
        admin.setClientConsentRequired(clientId);
        McpOAuthClient preregistered = McpOAuthClient.preregistered(stack, clientId);
        preregistered.tokensFor(stack.mcpUrl(), "alice", "alice");
        Map<String, String> request = preregistered.authorizationRequest(Pkce.create(), stack.mcpUrl());
        preregistered.code(preregistered.http.followWithinServer(preregistered.authorize(request)), request.get("state"));
    }
}
