package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keycloakmcp.it.fixtures.ClientDocuments;
import dev.keycloakmcp.it.fixtures.ClientDocuments.ClientDocument;
import dev.keycloakmcp.it.pages.Browser;
import dev.keycloakmcp.it.pages.BrowserConsentPage;
import dev.keycloakmcp.it.pages.BrowserSignInPage;
import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Compat;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.Pkce;

/**
 * Sign-in and consent for MCP clients in headless Chromium: what the pages say about who asks, where the answer
 * goes, which MCP server and what; a hostile client name shown as text; Allow and Deny; other languages. Saves
 * screenshots of both pages under {@code target/screenshots/}.
 */
@McpStackTest
class ConsentBrowserIT {

    static final String HOSTILE_NAME = "<img src=x onerror=alert(1)>";

    private static McpStack stack;

    private static McpOAuthClient register(String name, Map<String, Object> extra) {
        Map<String, Object> body = McpOAuthClient.typicalRegistration(name);
        body.putAll(extra);
        return McpOAuthClient.register(Json.object(new Http().get(stack.issuer() + "/.well-known/openid-configuration").body()), body);
    }

    static String authorizationUrl(McpOAuthClient client, Map<String, String> request) {
        return client.metadata.get("authorization_endpoint") + "?" + Http.form(request);
    }

    static Map<String, String> query(String url) {
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    @Compat
    @Test
    void pagesTellWhoAsksAndAllowGivesABoundToken() {
        McpOAuthClient client = register(HOSTILE_NAME, Map.of("logo_uri", "https://cdn.example.com/logo.png",
                "client_uri", "https://client.example.com/about"));
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, stack.mcpUrl());
        try (Browser browser = new Browser("en")) {
            browser.open(authorizationUrl(client, request));

            BrowserSignInPage signIn = new BrowserSignInPage(browser);
            String context = signIn.context();
            assertTrue(context.contains("Sign in to let " + HOSTILE_NAME + " use an MCP server"), context);
            assertTrue(context.contains(stack.mcpUrl()), context);
            assertFalse(signIn.showsImageFrom("x"), "the name is text, not markup");
            browser.screenshot("login-hostile-name");
            signIn.signIn("alice", "alice");

            BrowserConsentPage consent = new BrowserConsentPage(browser);
            assertEquals(HOSTILE_NAME, consent.clientName());
            assertTrue(consent.title().contains(HOSTILE_NAME), consent.title());
            assertFalse(consent.showsImageFrom("x"), "the name is text, not markup");
            assertEquals("https://cdn.example.com/logo.png", consent.logoUrl());
            assertEquals("Logo of " + HOSTILE_NAME, consent.logoDescription());
            assertEquals("https://client.example.com/about", consent.websiteUrl());
            assertTrue(consent.unverifiedNotice().contains("registered itself"), consent.unverifiedNotice());
            assertNull(consent.verifiedNotice());
            assertEquals("127.0.0.1 (an application on this computer)", consent.redirectHost());
            assertEquals(stack.mcpUrl(), consent.resourceUrl());
            assertTrue(consent.requestedScopes().contains("Use the tools of the MCP server"), consent.requestedScopes()::toString);
            browser.screenshot("consent-hostile-name");
            consent.allow();

            Map<String, String> answer = query(browser.waitForUrlStartingWith(McpOAuthClient.REDIRECT_URI));
            assertEquals(request.get("state"), answer.get("state"));
            assertEquals(stack.issuer(), answer.get("iss"));
            HttpResponse<String> tokens = client.exchange(answer.get("code"), pkce.verifier(), stack.mcpUrl());
            assertEquals(200, tokens.statusCode(), tokens::body);
            assertEquals(List.of(stack.mcpUrl()), AccessTokens.audience((String) Json.object(tokens.body()).get("access_token")));
        }
    }

    /** A client identified by its metadata document (Claude Code's shape): who published it, and the loopback warning. */
    @Test
    void documentClientShowsPublisherAndLoopbackWarning() {
        ClientDocument claudeCode = ClientDocuments.claudeCode();
        String documentUrl = stack.documents.publish(claudeCode.document());
        McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, documentUrl, claudeCode.redirectUri());
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, stack.mcpUrl());
        try (Browser browser = new Browser("en")) {
            browser.open(authorizationUrl(client, request));
            new BrowserSignInPage(browser).signIn("alice", "alice");
            BrowserConsentPage consent = new BrowserConsentPage(browser);
            assertEquals("Claude Code", consent.clientName());
            assertEquals("a document published at localhost", consent.documentHost());
            assertFalse(consent.hasWebsite(), "https://claude.ai is not where this document was published");
            assertTrue(consent.unverifiedNotice().contains("described itself in a document it publishes"), consent.unverifiedNotice());
            assertTrue(consent.loopbackWarning().contains("any program on this computer can use its name"),
                    consent.loopbackWarning());
            assertEquals("localhost (an application on this computer)", consent.redirectHost());
            browser.screenshot("consent-metadata-document");
            consent.allow();

            Map<String, String> answer = query(browser.waitForUrlStartingWith(claudeCode.redirectUri()));
            HttpResponse<String> tokens = client.exchange(answer.get("code"), pkce.verifier(), stack.mcpUrl());
            assertEquals(200, tokens.statusCode(), tokens::body);
        }
    }

    /** Also takes the screenshots of docs/consent-and-theme.md (login.png, consent.png): a client as people will typically see one. */
    @Test
    void denyAndAPlaceholderForAPlainHttpLogo() {
        McpOAuthClient client = register("Notes Assistant", Map.of("logo_uri", "http://insecure.example.com/logo.png"));
        Map<String, String> request = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        try (Browser browser = new Browser("en")) {
            browser.open(authorizationUrl(client, request));
            BrowserSignInPage signIn = new BrowserSignInPage(browser);
            // Accessible: the page states its language, every visible field has a label.
            assertEquals("en", signIn.language());
            assertEquals(List.of(), signIn.unlabelledFields(), "fields without a label");
            browser.screenshot("login");
            signIn.signIn("alice", "alice");
            BrowserConsentPage consent = new BrowserConsentPage(browser);
            assertFalse(consent.hasLogo(), "no logo from a plain http URL");
            assertEquals("N", consent.logoPlaceholder());
            assertFalse(consent.hasWebsite(), "no website given");
            assertEquals("Allow", consent.allowLabel());
            assertEquals("Deny", consent.denyLabel());
            browser.screenshot("consent");
            consent.deny();

            Map<String, String> answer = query(browser.waitForUrlStartingWith(McpOAuthClient.REDIRECT_URI));
            assertEquals("access_denied", answer.get("error"));
            assertNull(answer.get("code"));
            assertEquals(request.get("state"), answer.get("state"));
        }
    }

    @Test
    void adminCreatedClientIsMarkedAsVerified() {
        String clientId = "admin-created-mcp-client-" + System.nanoTime();
        stack.admin.createPublicClient(clientId, McpOAuthClient.REDIRECT_URI,
                Map.of("mcp.client", "preregistered", "pkce.code.challenge.method", "S256"));
        stack.admin.setClientConsentRequired(clientId);
        McpOAuthClient client = McpOAuthClient.preregistered(stack, clientId);
        try (Browser browser = new Browser("en")) {
            browser.open(authorizationUrl(client, client.authorizationRequest(Pkce.create(), stack.mcpUrl())));
            new BrowserSignInPage(browser).signIn("alice", "alice");
            BrowserConsentPage consent = new BrowserConsentPage(browser);
            assertTrue(consent.verifiedNotice().contains("registered by your organisation"), consent.verifiedNotice());
            assertNull(consent.unverifiedNotice());
        }
    }

    @Test
    void pagesSpeakTheUsersLanguage() {
        McpOAuthClient client = register("Sprachtest", Map.of());
        Map<String, String> request = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        request.put("ui_locales", "de");
        try (Browser browser = new Browser("de")) {
            browser.open(authorizationUrl(client, request));
            BrowserSignInPage signIn = new BrowserSignInPage(browser);
            assertTrue(signIn.context().contains("Melden Sie sich an, damit Sprachtest"), signIn.context());
            signIn.signIn("alice", "alice");
            BrowserConsentPage consent = new BrowserConsentPage(browser);
            assertTrue(consent.unverifiedNotice().contains("Diese Anwendung hat sich selbst registriert"), consent.unverifiedNotice());
            assertTrue(consent.requestedScopes().contains("Die Werkzeuge des MCP-Servers nutzen"), consent.requestedScopes()::toString);
        }
    }
}
