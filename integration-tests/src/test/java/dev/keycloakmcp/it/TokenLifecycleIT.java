package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keycloakmcp.it.pages.HttpConsentPage;
import dev.keycloakmcp.it.pages.HttpSignInPage;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.Pkce;

/** Codes, refresh tokens and redirect URIs over a token's life, as OAuth 2.1 and RFC 8252 want them for MCP clients. */
@McpStackTest
class TokenLifecycleIT {

    private static McpStack stack;

    @Test
    void refreshTokensRotateAndAUsedOneIsRefused() {
        McpOAuthClient client = McpOAuthClient.register(stack, "Rotation IT");
        String first = (String) client.tokensFor(stack.mcpUrl(), "alice", "alice").get("refresh_token");

        HttpResponse<String> rotated = client.refresh(first, stack.mcpUrl());
        assertEquals(200, rotated.statusCode(), rotated.body());
        String second = (String) Json.object(rotated.body()).get("refresh_token");
        assertTrue(second != null && !second.equals(first), "a new refresh token comes with each refresh");

        HttpResponse<String> reused = client.refresh(first, stack.mcpUrl());
        assertEquals(400, reused.statusCode(), reused.body());
        assertEquals("invalid_grant", Json.object(reused.body()).get("error"));
    }

    @Test
    void codesWorkOnce() {
        McpOAuthClient client = McpOAuthClient.register(stack, "Single-use code IT");
        Pkce pkce = Pkce.create();
        String code = client.signInAndConsent(client.authorizationRequest(pkce, stack.mcpUrl()), "alice", "alice");
        assertEquals(200, client.exchange(code, pkce.verifier(), stack.mcpUrl()).statusCode());
        HttpResponse<String> again = client.exchange(code, pkce.verifier(), stack.mcpUrl());
        assertEquals(400, again.statusCode(), again.body());
        assertEquals("invalid_grant", Json.object(again.body()).get("error"));
    }

    @Test
    void loopbackRedirectMatchesAnyPortOnly() {
        McpOAuthClient client = McpOAuthClient.register(stack, "Loopback IT");
        String otherPort = "http://127.0.0.1:45678/callback";
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, stack.mcpUrl());
        request.put("redirect_uri", otherPort);
        HttpResponse<String> consent = new HttpSignInPage(client.http, client.authorize(request)).signIn("alice", "alice");
        String code = client.code(new HttpConsentPage(client.http, consent).allow(), request.get("state"), otherPort);
        HttpResponse<String> tokens = client.exchange(code, pkce.verifier(), stack.mcpUrl(), otherPort);
        assertEquals(200, tokens.statusCode(), tokens.body());

        for (String mismatch : new String[] {"http://127.0.0.1:45678/other-path", "http://localhost.evil.example:33418/callback",
                "https://127.0.0.1:33418/callback"}) {
            Map<String, String> wrong = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
            wrong.put("redirect_uri", mismatch);
            HttpResponse<String> response = client.authorize(wrong);
            assertEquals(400, response.statusCode(), mismatch + " must not be redirected to");
            assertTrue(response.headers().firstValue("Location").isEmpty(), mismatch);
        }
    }
}
