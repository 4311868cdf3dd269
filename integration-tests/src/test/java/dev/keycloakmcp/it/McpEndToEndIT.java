package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.keycloakmcp.core.KeycloakFeature;
import dev.keycloakmcp.it.pages.HttpConsentPage;
import dev.keycloakmcp.it.pages.HttpSignInPage;
import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Compat;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.McpToolCalls;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.it.support.RunningKeycloak;

/**
 * Plays an MCP client against the sample MCP server and Keycloak with the pack, exactly in the order of the MCP
 * authorization spec: 401 → protected resource metadata → AS metadata → registration → authorization with
 * PKCE S256 and resource → sign-in → consent → code → token → tool call → refresh.
 */
@McpStackTest
@Compat
class McpEndToEndIT {

    private static final Pattern RESOURCE_METADATA = Pattern.compile("resource_metadata=\"([^\"]+)\"");
    private static final Pattern SCOPE = Pattern.compile("scope=\"([^\"]+)\"");

    private static McpStack stack;

    @Test
    void mcpClientGetsFromUnauthorizedToToolCallAndRefresh() {
        Http http = new Http();

        // 1. Unauthenticated MCP request: 401 with the challenge that points at the protected resource metadata.
        HttpResponse<String> unauthorized = http.postJson(stack.mcpUrl(), initializeRequest(), "Accept", "application/json, text/event-stream");
        assertEquals(401, unauthorized.statusCode());
        String challenge = unauthorized.headers().firstValue("WWW-Authenticate").orElseThrow();
        Matcher prmUrl = RESOURCE_METADATA.matcher(challenge);
        assertTrue(prmUrl.find(), challenge);
        Matcher scopeMatch = SCOPE.matcher(challenge);
        assertTrue(scopeMatch.find(), challenge);
        String scope = scopeMatch.group(1);

        // 2. Protected resource metadata (RFC 9728).
        Map<String, Object> prm = Json.object(http.get(prmUrl.group(1)).body());
        String resource = (String) prm.get("resource");
        assertEquals(stack.mcpUrl(), resource);
        String issuer = ((List<?>) prm.get("authorization_servers")).get(0).toString();
        assertEquals(stack.issuer(), issuer);

        // 3. Authorization server metadata, at the URLs MCP clients try for an issuer with a path, in their order: the
        //    first answers on Keycloak 26.4 and later, the last on every line (the compatibility table).
        String origin = issuer.substring(0, issuer.indexOf("/realms/"));
        String path = issuer.substring(origin.length());
        List<String> discoveryUrls = List.of(origin + "/.well-known/oauth-authorization-server" + path,
                origin + "/.well-known/openid-configuration" + path, issuer + "/.well-known/openid-configuration");
        HttpResponse<String> asMetadata = discoveryUrls.stream().map(http::get).filter(r -> r.statusCode() == 200).findFirst().orElseThrow();
        assertEquals(discoveryUrls.get(RunningKeycloak.has(KeycloakFeature.ROOT_METADATA) ? 0 : 2), asMetadata.uri().toString());
        Map<String, Object> metadata = Json.object(asMetadata.body());
        assertEquals(issuer, metadata.get("issuer"));
        assertEquals(List.of("S256"), metadata.get("code_challenge_methods_supported"));

        // 4. Dynamic client registration with the body an MCP client sends, extras included.
        Map<String, Object> body = McpOAuthClient.typicalRegistration("End-to-end MCP client");
        body.put("scope", "openid " + scope);
        body.put("resource", resource);
        McpOAuthClient client = McpOAuthClient.register(metadata, body);
        assertEquals("none", client.registration.get("token_endpoint_auth_method"));

        // 5-8. Authorization request with PKCE S256 and resource, real sign-in and consent pages, code.
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, resource);
        request.put("scope", scope);
        HttpResponse<String> consentResponse = new HttpSignInPage(client.http, client.authorize(request)).signIn("alice", "alice");
        HttpConsentPage consent = new HttpConsentPage(client.http, consentResponse);
        assertTrue(consent.title().contains("End-to-end MCP client"), consent.title());
        assertEquals(resource, consent.resourceUrl());
        assertNotNull(consent.unverifiedNotice(), "self-registered clients are marked as unverified");
        assertTrue(consent.redirectHost().contains("127.0.0.1"), consent.redirectHost());
        assertTrue(consent.scopesText().contains("Use the tools of the MCP server"), consent.scopesText());
        String code = client.code(consent.allow(), request.get("state"));

        // 9. Token, bound to the MCP server.
        HttpResponse<String> tokenResponse = client.exchange(code, pkce.verifier(), resource);
        assertEquals(200, tokenResponse.statusCode(), tokenResponse::body);
        Map<String, Object> tokens = Json.object(tokenResponse.body());
        String accessToken = (String) tokens.get("access_token");
        assertTrue(AccessTokens.audience(accessToken).contains(resource), () -> "aud: " + AccessTokens.audience(accessToken));

        // 10. Tool call through the MCP Java SDK client: the server knows who signed in.
        assertEquals("alice", McpToolCalls.callText(stack.mcpUrl(), accessToken, "whoami", Map.of()));
        assertEquals("hello", McpToolCalls.callText(stack.mcpUrl(), accessToken, "echo", Map.of("text", "hello")));

        // 11. Refresh keeps the binding and the new token works.
        HttpResponse<String> refreshed = client.refresh((String) tokens.get("refresh_token"), resource);
        assertEquals(200, refreshed.statusCode(), refreshed::body);
        String refreshedToken = (String) Json.object(refreshed.body()).get("access_token");
        assertNotEquals(accessToken, refreshedToken);
        assertTrue(AccessTokens.audience(refreshedToken).contains(resource));
        assertEquals("alice", McpToolCalls.callText(stack.mcpUrl(), refreshedToken, "whoami", Map.of()));
    }

    private static String initializeRequest() {
        return Json.write(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params",
                Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "test", "version", "1"))));
    }
}
