package dev.keycloakmcp.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.keycloakmcp.it.pages.HttpConsentPage;
import dev.keycloakmcp.it.pages.HttpSignInPage;

/**
 * An MCP client's side of OAuth, step by step as the MCP authorization spec describes it, so that tests can
 * follow the happy path and step off it anywhere.
 */
public final class McpOAuthClient {

    public static final String REDIRECT_URI = "http://127.0.0.1:33418/callback";

    public final Http http = new Http();
    public final Map<String, Object> metadata;
    public final String clientId;
    public final Map<String, Object> registration;
    /** Where this client receives codes. */
    public final String redirectUri;

    private McpOAuthClient(Map<String, Object> metadata, Map<String, Object> registration) {
        this(metadata, registration, REDIRECT_URI);
    }

    private McpOAuthClient(Map<String, Object> metadata, Map<String, Object> registration, String redirectUri) {
        this.metadata = metadata;
        this.registration = registration;
        this.clientId = (String) registration.get("client_id");
        this.redirectUri = redirectUri;
    }

    /** A client identified by the URL of its Client ID Metadata Document (no registration), receiving codes at {@code redirectUri}. */
    public static McpOAuthClient identifiedByDocument(McpStack stack, String documentUrl, String redirectUri) {
        return identifiedByDocument(Json.object(new Http().get(stack.issuer() + "/.well-known/oauth-authorization-server").body()),
                documentUrl, redirectUri);
    }

    /** The same, with the authorization server {@code metadata} of another realm. */
    public static McpOAuthClient identifiedByDocument(Map<String, Object> metadata, String documentUrl, String redirectUri) {
        return new McpOAuthClient(metadata, Map.of("client_id", documentUrl), redirectUri);
    }

    /** A client registered elsewhere ({@code registration}, the registration response), receiving codes at {@code redirectUri}. */
    public static McpOAuthClient registered(Map<String, Object> metadata, Map<String, Object> registration, String redirectUri) {
        return new McpOAuthClient(metadata, registration, redirectUri);
    }

    /** The registration body the official TypeScript MCP SDK sends, plus members other MCP clients add. */
    public static Map<String, Object> typicalRegistration(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_name", name);
        body.put("redirect_uris", java.util.List.of(REDIRECT_URI));
        body.put("grant_types", java.util.List.of("authorization_code", "refresh_token"));
        body.put("response_types", java.util.List.of("code"));
        body.put("token_endpoint_auth_method", "none");
        body.put("scope", "openid mcp:tools offline_access");
        body.put("application_type", "native");
        body.put("software_id", "dev.keycloakmcp.tests");
        body.put("software_version", "1.0");
        return body;
    }

    public static McpOAuthClient register(Map<String, Object> metadata, Map<String, Object> body) {
        Http http = new Http();
        HttpResponse<String> response = http.postJson((String) metadata.get("registration_endpoint"), Json.write(body));
        assertEquals(201, response.statusCode(), () -> "Registration refused: " + response.body());
        return new McpOAuthClient(metadata, Json.object(response.body()));
    }

    /** A client the admin created (no registration), used through the same OAuth steps. */
    public static McpOAuthClient preregistered(McpStack stack, String clientId) {
        Map<String, Object> metadata = Json.object(new Http().get(stack.issuer() + "/.well-known/openid-configuration").body());
        return new McpOAuthClient(metadata, Map.of("client_id", clientId));
    }

    public static McpOAuthClient register(McpStack stack, String name) {
        return register(Json.object(new Http().get(stack.issuer() + "/.well-known/openid-configuration").body()),
                typicalRegistration(name));
    }

    public Map<String, String> authorizationRequest(Pkce pkce, String resource) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", clientId);
        params.put("redirect_uri", redirectUri);
        params.put("scope", "mcp:tools");
        params.put("state", UUID.randomUUID().toString());
        if (pkce != null) {
            params.put("code_challenge", pkce.challenge());
            params.put("code_challenge_method", "S256");
        }
        if (resource != null) {
            params.put("resource", resource);
        }
        return params;
    }

    public HttpResponse<String> authorize(Map<String, String> params) {
        return http.get(metadata.get("authorization_endpoint") + "?" + Http.form(params));
    }

    /** Sends the user through sign-in and consent (allowing) for {@code request}; returns the code. */
    public String signInAndConsent(Map<String, String> request, String username, String password) {
        HttpResponse<String> consent = new HttpSignInPage(http, authorize(request)).signIn(username, password);
        return code(new HttpConsentPage(http, consent).allow(), request.get("state"));
    }

    /** The authorization code of a successful redirect back to this client's redirect URI. */
    public String code(HttpResponse<String> redirect, String expectedState) {
        return code(redirect, expectedState, redirectUri);
    }

    public String code(HttpResponse<String> redirect, String expectedState, String expectedRedirectUri) {
        Map<String, String> query = redirectQuery(redirect, expectedRedirectUri);
        assertEquals(expectedState, query.get("state"));
        assertEquals(metadata.get("issuer"), query.get("iss"), "RFC 9207 iss in the authorization response");
        return query.get("code");
    }

    public static Map<String, String> redirectQuery(HttpResponse<String> redirect) {
        return redirectQuery(redirect, REDIRECT_URI);
    }

    public static Map<String, String> redirectQuery(HttpResponse<String> redirect, String expectedRedirectUri) {
        assertEquals(302, redirect.statusCode(), () -> "Expected a redirect to the client, got " + redirect.statusCode() + ": " + redirect.body());
        URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        assertEquals(expectedRedirectUri, location.getScheme() + "://" + location.getRawAuthority() + location.getRawPath());
        Map<String, String> query = new HashMap<>();
        // Errors of implicit or hybrid requests come back in the fragment.
        String parameters = location.getRawQuery() != null ? location.getRawQuery() : location.getRawFragment();
        for (String pair : parameters.split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    public HttpResponse<String> exchange(String code, String verifier, String resource) {
        return exchange(code, verifier, resource, redirectUri);
    }

    public HttpResponse<String> exchange(String code, String verifier, String resource, String redirectUri) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", clientId);
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        if (verifier != null) {
            form.put("code_verifier", verifier);
        }
        if (resource != null) {
            form.put("resource", resource);
        }
        return http.postForm((String) metadata.get("token_endpoint"), form);
    }

    public HttpResponse<String> refresh(String refreshToken, String resource) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", clientId);
        form.put("refresh_token", refreshToken);
        if (resource != null) {
            form.put("resource", resource);
        }
        return http.postForm((String) metadata.get("token_endpoint"), form);
    }

    /** The whole happy path: tokens for {@code resource}, signed in as {@code username}. */
    public Map<String, Object> tokensFor(String resource, String username, String password) {
        Pkce pkce = Pkce.create();
        Map<String, String> request = authorizationRequest(pkce, resource);
        String code = signInAndConsent(request, username, password);
        HttpResponse<String> tokens = exchange(code, pkce.verifier(), resource);
        assertEquals(200, tokens.statusCode(), tokens::body);
        return Json.object(tokens.body());
    }
}
