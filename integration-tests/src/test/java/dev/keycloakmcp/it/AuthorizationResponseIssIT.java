package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;

import dev.keycloakmcp.it.fixtures.ClientDocuments;
import dev.keycloakmcp.it.fixtures.ClientDocuments.ClientDocument;
import dev.keycloakmcp.it.pages.FormPostPage;
import dev.keycloakmcp.it.pages.HttpConsentPage;
import dev.keycloakmcp.it.pages.HttpSignInPage;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.Pkce;

/**
 * RFC 9207: the metadata says {@code authorization_response_iss_parameter_supported: true}, so MCP 2026-07-28
 * clients reject an authorization response without {@code iss}, error responses included. Every answer an MCP
 * client gets at its redirect URI — the pack's refusals (PKCE, {@code resource}, response mode), Keycloak's own
 * ({@code invalid_scope}, {@code login_required}), the user's "No" and success — carries exactly one {@code iss},
 * the realm's issuer, and the request's {@code state}. Each case is a real client with the real pages.
 */
@McpStackTest
class AuthorizationResponseIssIT {

    private static final String UNKNOWN_RESOURCE = "https://unknown.example.com/mcp";
    /** A client of the realm whose client id is a URL, but not an MCP server. */
    private static final String FOREIGN_RESOURCE = "https://foreign.example.com/mcp";

    private static McpStack stack;
    private static String issuer;

    @BeforeAll
    static void setUp() {
        issuer = (String) Json.object(new Http().get(stack.issuer() + "/.well-known/oauth-authorization-server").body()).get("issuer");
        assertEquals(stack.issuer(), issuer);
        ClientRepresentation foreign = new ClientRepresentation();
        foreign.setClientId(FOREIGN_RESOURCE);
        foreign.setPublicClient(false);
        foreign.setSecret("test-only-foreign");
        foreign.setStandardFlowEnabled(false);
        stack.admin.realm().clients().create(foreign).close();
    }

    private static McpOAuthClient client() {
        return McpOAuthClient.register(stack, "RFC 9207 IT");
    }

    /** An authorization response as the client receives it: where it goes and every parameter, repeats kept. */
    record Answer(String target, Map<String, List<String>> parameters) {

        /** From a redirect (query, or fragment for that response mode) or a form_post page. */
        static Answer of(HttpResponse<String> response) {
            if (response.statusCode() == 200) {
                FormPostPage page = new FormPostPage(response);
                return new Answer(page.target(), page.parameters());
            }
            assertEquals(302, response.statusCode(), () -> "Expected a redirect to the client: " + response.body());
            URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
            String raw = location.getRawQuery() != null ? location.getRawQuery() : location.getRawFragment();
            Map<String, List<String>> parameters = new LinkedHashMap<>();
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                parameters.computeIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), name -> new ArrayList<>())
                        .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return new Answer(location.getScheme() + "://" + location.getRawAuthority() + location.getRawPath(), parameters);
        }

        String single(String name) {
            List<String> values = parameters.get(name);
            assertNotNull(values, () -> name + " missing from " + parameters);
            assertEquals(1, values.size(), () -> name + " more than once in " + parameters);
            return values.get(0);
        }
    }

    /** The answer went to {@code redirectUri} with {@code error}, the request's {@code state} and one {@code iss}. */
    private static Answer assertErrorAnswer(HttpResponse<String> response, String redirectUri, String error, String state) {
        Answer answer = Answer.of(response);
        assertEquals(redirectUri, answer.target());
        assertEquals(error, answer.single("error"), answer.parameters()::toString);
        assertEquals(state, answer.single("state"));
        assertEquals(issuer, answer.single("iss"), "RFC 9207 iss");
        assertNull(answer.parameters().get("code"));
        return answer;
    }

    private static void assertErrorAnswer(McpOAuthClient client, Map<String, String> request, String error) {
        assertErrorAnswer(client.authorize(request), client.redirectUri, error, request.get("state"));
    }

    @Test
    void successCarriesOneIss() {
        McpOAuthClient client = client();
        Map<String, String> request = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        HttpResponse<String> consent = new HttpSignInPage(client.http, client.authorize(request)).signIn("alice", "alice");
        Answer answer = Answer.of(new HttpConsentPage(client.http, consent).allow());
        assertEquals(client.redirectUri, answer.target());
        assertEquals(request.get("state"), answer.single("state"));
        assertEquals(issuer, answer.single("iss"));
        assertNotNull(answer.single("code"));
        assertNull(answer.parameters().get("error"));
    }

    @Test
    void pkceRefusals() {
        McpOAuthClient client = client();
        assertErrorAnswer(client, client.authorizationRequest(null, stack.mcpUrl()), "invalid_request");
        Map<String, String> plain = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        plain.put("code_challenge", "a".repeat(64));
        plain.put("code_challenge_method", "plain");
        assertErrorAnswer(client, plain, "invalid_request");

        // An admin-created MCP client without Keycloak's per-client PKCE setting: only the pack's check refuses it.
        String clientId = "iss-preregistered-" + UUID.randomUUID();
        stack.admin.createPublicClient(clientId, McpOAuthClient.REDIRECT_URI, Map.of("mcp.client", "preregistered"));
        McpOAuthClient preregistered = McpOAuthClient.preregistered(stack, clientId);
        assertErrorAnswer(preregistered, preregistered.authorizationRequest(null, stack.mcpUrl()), "invalid_request");
    }

    @Test
    void resourceRefusals() {
        McpOAuthClient client = client();
        assertErrorAnswer(client, client.authorizationRequest(Pkce.create(), UNKNOWN_RESOURCE), "invalid_target");
        assertErrorAnswer(client, client.authorizationRequest(Pkce.create(), FOREIGN_RESOURCE), "invalid_target");

        // Two resources in the query: Keycloak's parser refuses the repeated parameter before the pack looks.
        Map<String, String> request = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        String twoResources = client.metadata.get("authorization_endpoint") + "?" + Http.form(request) + "&resource=" + Http.enc(UNKNOWN_RESOURCE);
        assertErrorAnswer(client.http.get(twoResources), client.redirectUri, "invalid_request", request.get("state"));

        // Pushed (PAR): the refusal comes when the request is used.
        Map<String, String> pushed = client.authorizationRequest(Pkce.create(), UNKNOWN_RESOURCE);
        HttpResponse<String> par = client.http.postForm(stack.issuer() + "/protocol/openid-connect/ext/par/request", pushed);
        assertEquals(201, par.statusCode(), par::body);
        assertErrorAnswer(client.authorize(Map.of("client_id", client.clientId, "request_uri", (String) Json.object(par.body()).get("request_uri"))),
                client.redirectUri, "invalid_target", pushed.get("state"));
    }

    /** Refused response modes are answered in the mode asked for (where the client listens for it), with iss. */
    @Test
    void responseModeRefusals() {
        McpOAuthClient client = client();
        Map<String, String> fragment = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        fragment.put("response_mode", "fragment");
        HttpResponse<String> inFragment = client.authorize(fragment);
        assertNull(URI.create(inFragment.headers().firstValue("Location").orElseThrow()).getRawQuery());
        assertErrorAnswer(inFragment, client.redirectUri, "invalid_request", fragment.get("state"));

        Map<String, String> formPost = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        formPost.put("response_mode", "form_post");
        assertErrorAnswer(client, formPost, "invalid_request");
    }

    /** Keycloak's own refusal of a scope the client was not given. */
    @Test
    void keycloaksInvalidScope() {
        McpOAuthClient client = client();
        Map<String, String> request = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        request.put("scope", "mcp:tools not-a-scope-here");
        assertErrorAnswer(client, request, "invalid_scope");
    }

    /** Keycloak's own answer to prompt=none without a sign-in. */
    @Test
    void keycloaksLoginRequired() {
        McpOAuthClient client = client();
        Map<String, String> request = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        request.put("prompt", "none");
        assertErrorAnswer(client, request, "login_required");
    }

    @Test
    void theUserSaysNo() {
        McpOAuthClient client = client();
        Map<String, String> request = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        HttpResponse<String> consent = new HttpSignInPage(client.http, client.authorize(request)).signIn("alice", "alice");
        assertErrorAnswer(new HttpConsentPage(client.http, consent).deny(), client.redirectUri, "access_denied", request.get("state"));
    }

    /**
     * A client made from its metadata document: refusals before it exists are error pages (no client is made, so no
     * redirect URI is verified); once it exists, the refusals redirect like any MCP client's, with iss.
     */
    @Test
    void metadataDocumentClientRefusals() {
        ClientDocument claudeCode = ClientDocuments.claudeCode();
        String url = stack.documents.publish(claudeCode.document());
        McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, url, claudeCode.redirectUri());
        HttpResponse<String> refusedBeforeItExists = client.authorize(client.authorizationRequest(null, stack.mcpUrl()));
        assertEquals(400, refusedBeforeItExists.statusCode(), refusedBeforeItExists::body);
        assertEquals(java.util.Optional.empty(), refusedBeforeItExists.headers().firstValue("Location"));

        new HttpSignInPage(client.http, client.authorize(client.authorizationRequest(Pkce.create(), stack.mcpUrl())));
        assertErrorAnswer(client, client.authorizationRequest(null, stack.mcpUrl()), "invalid_request");
        assertErrorAnswer(client, client.authorizationRequest(Pkce.create(), UNKNOWN_RESOURCE), "invalid_target");
        Map<String, String> request = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        request.put("scope", "not-a-scope-here");
        assertErrorAnswer(client, request, "invalid_scope");
    }
}
