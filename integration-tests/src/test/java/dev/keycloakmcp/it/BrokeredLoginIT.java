package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.keycloakmcp.it.pages.Browser;
import dev.keycloakmcp.it.pages.BrowserConsentPage;
import dev.keycloakmcp.it.pages.BrowserSignInPage;
import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.McpToolCalls;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.it.support.RealmAdmin;

/**
 * The {@code mcp} realm brokers sign-in to an upstream OpenID Connect provider — a second realm of the same
 * Keycloak playing the corporate IdP — and the MCP flow completes with a token for the MCP server, in a real browser.
 */
@McpStackTest
class BrokeredLoginIT {

    static final String IDP = "corp";
    static final String BROKER_SECRET = "test-only-broker-secret";

    private static McpStack stack;

    @BeforeAll
    static void corporateIdentityProvider() {
        String corp = stack.keycloak.issuer("corp");
        RealmAdmin admin = stack.admin;
        admin.createRealm(Map.of("realm", "corp", "enabled", true,
                "users", List.of(Map.of("username", "carol", "enabled", true, "email", "carol@corp.example", "emailVerified", true,
                        "firstName", "Carol", "lastName", "Corp",
                        "credentials", List.of(Map.of("type", "password", "value", "carol", "temporary", false)))),
                "clients", List.of(Map.of("clientId", "mcp-broker", "enabled", true, "publicClient", false, "secret", BROKER_SECRET,
                        "standardFlowEnabled", true, "redirectUris", List.of(stack.issuer() + "/broker/" + IDP + "/endpoint")))));
        admin.createIdentityProvider(Map.of("alias", IDP, "displayName", "Corporate SSO", "providerId", "oidc", "enabled", true,
                "trustEmail", true, "config", Map.ofEntries(
                        Map.entry("issuer", corp),
                        Map.entry("authorizationUrl", corp + "/protocol/openid-connect/auth"),
                        Map.entry("tokenUrl", corp + "/protocol/openid-connect/token"),
                        Map.entry("jwksUrl", corp + "/protocol/openid-connect/certs"),
                        Map.entry("useJwksUrl", "true"),
                        Map.entry("validateSignature", "true"),
                        Map.entry("clientId", "mcp-broker"),
                        Map.entry("clientSecret", BROKER_SECRET),
                        Map.entry("clientAuthMethod", "client_secret_post"),
                        Map.entry("defaultScope", "openid profile email"),
                        Map.entry("pkceEnabled", "true"),
                        Map.entry("pkceMethod", "S256"),
                        Map.entry("syncMode", "IMPORT"))));
    }

    @AfterAll
    static void removeIdentityProvider() {
        // The other test classes sign in with the realm's own form; they should not see the extra button.
        stack.admin.deleteIdentityProvider(IDP);
    }

    @Test
    void aUserOfTheCorporateIdpAuthorizesAnMcpClient() {
        McpOAuthClient client = McpOAuthClient.register(stack, "Brokered MCP client");
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, stack.mcpUrl());
        try (Browser browser = new Browser("en")) {
            browser.open(ConsentBrowserIT.authorizationUrl(client, request));
            BrowserSignInPage mcpSignIn = new BrowserSignInPage(browser);
            assertTrue(mcpSignIn.context().contains("Brokered MCP client"), mcpSignIn.context());
            assertTrue(mcpSignIn.identityProviderLabel(IDP).contains("Corporate SSO"));
            mcpSignIn.signInWith(IDP);

            // The corporate realm's own sign-in page.
            browser.waitForUrlStartingWith(stack.keycloak.issuer("corp") + "/");
            new BrowserSignInPage(browser).signIn("carol", "carol");

            BrowserConsentPage consent = new BrowserConsentPage(browser);
            assertEquals(stack.mcpUrl(), consent.resourceUrl());
            consent.allow();

            Map<String, String> answer = ConsentBrowserIT.query(browser.waitForUrlStartingWith(McpOAuthClient.REDIRECT_URI));
            HttpResponse<String> tokens = client.exchange(answer.get("code"), pkce.verifier(), stack.mcpUrl());
            assertEquals(200, tokens.statusCode(), tokens::body);
            String accessToken = (String) Json.object(tokens.body()).get("access_token");
            assertEquals(List.of(stack.mcpUrl()), AccessTokens.audience(accessToken));
            assertEquals("carol", AccessTokens.claims(accessToken).get("preferred_username"));
            assertEquals("carol", McpToolCalls.callText(stack.mcpUrl(), accessToken, "whoami", Map.of()));
        }
    }
}
