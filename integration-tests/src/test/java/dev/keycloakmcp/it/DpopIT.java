package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;

import dev.keycloakmcp.it.pages.AuthorizationUrlSignIn;
import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.DpopProver;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.McpHttp;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.NodeClientProcess;
import dev.keycloakmcp.it.support.NodeClientProcess.Output;
import dev.keycloakmcp.it.support.PinnedClients;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.sample.SampleServerConfig;

/**
 * DPoP end to end against the real Keycloak and the sample MCP server: a real client (the official TypeScript SDK's v2
 * client) gets DPoP-bound tokens and calls tools; the tokens, their introspection and a public client's refresh are
 * bound to the client's key; hostile proofs get 401 {@code invalid_dpop_proof} at the MCP server; an MCP server that
 * requires DPoP gets no token without a proof. Keycloak has DPoP on by default from 26.4 (not a compatibility test).
 */
@McpStackTest
class DpopIT {

    private static final Duration CLIENT_WAIT = Duration.ofSeconds(60);

    private static McpStack stack;

    private record Bound(McpOAuthClient client, DpopProver key, String access, String refresh, Map<String, Object> response) {
    }

    private String tokenEndpoint(McpOAuthClient client) {
        return (String) client.metadata.get("token_endpoint");
    }

    /** Signs alice in for {@code resource} and exchanges the code with a proof made with {@code key} (none if null). */
    private HttpResponse<String> exchange(McpOAuthClient client, DpopProver key, String resource, String[] code, Pkce pkce) {
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "authorization_code", "client_id", client.clientId,
                "code", code[0], "redirect_uri", client.redirectUri, "code_verifier", pkce.verifier(), "resource", resource));
        return key == null ? client.http.postForm(tokenEndpoint(client), form)
                : client.http.postForm(tokenEndpoint(client), form, "DPoP", key.proof("POST", tokenEndpoint(client), null));
    }

    private Bound boundTokens(String resource) {
        Map<String, Object> registration = McpOAuthClient.typicalRegistration("DPoP IT");
        registration.put("dpop_bound_access_tokens", true);
        McpOAuthClient client = McpOAuthClient.register(Json.object(new Http().get(stack.issuer() + "/.well-known/oauth-authorization-server").body()),
                registration);
        assertEquals(true, client.registration.get("dpop_bound_access_tokens"), "the registration response echoes it");
        DpopProver key = new DpopProver();
        Pkce pkce = Pkce.create();
        String[] code = {client.signInAndConsent(client.authorizationRequest(pkce, resource), "alice", "alice")};
        HttpResponse<String> tokens = exchange(client, key, resource, code, pkce);
        assertEquals(200, tokens.statusCode(), tokens::body);
        Map<String, Object> body = Json.object(tokens.body());
        return new Bound(client, key, (String) body.get("access_token"), (String) body.get("refresh_token"), body);
    }

    private HttpResponse<String> refresh(Bound bound, String proof) {
        Map<String, String> form = Map.of("grant_type", "refresh_token", "client_id", bound.client().clientId,
                "refresh_token", bound.refresh());
        return proof == null ? bound.client().http.postForm(tokenEndpoint(bound.client()), form)
                : bound.client().http.postForm(tokenEndpoint(bound.client()), form, "DPoP", proof);
    }

    private static HttpResponse<String> initialize(String scheme, String token, List<String> proofs) {
        List<String> headers = new ArrayList<>(List.of("Accept", McpHttp.ACCEPT, "Authorization", scheme + " " + token));
        proofs.forEach(proof -> headers.addAll(List.of("DPoP", proof)));
        return new Http().postJson(stack.mcpUrl(), McpHttp.initializeRequest(), headers.toArray(String[]::new));
    }

    private static Map<String, Object> introspect(String token) {
        HttpResponse<String> response = new Http().postForm(stack.issuer() + "/protocol/openid-connect/token/introspect",
                Map.of("token", token, "client_id", stack.mcpUrl(), "client_secret", SampleServerConfig.DEMO_CLIENT_SECRET));
        assertEquals(200, response.statusCode(), response::body);
        return Json.object(response.body());
    }

    @SuppressWarnings("unchecked")
    private static Object jkt(Map<String, Object> claims) {
        return claims.get("cnf") instanceof Map<?, ?> cnf ? ((Map<String, Object>) cnf).get("jkt") : null;
    }

    @Test
    void theTypeScriptSdkClientGetsADpopBoundTokenAndCallsTools() throws Exception {
        PinnedClients clients = PinnedClients.installed();
        Path module = clients.node().getParent().getParent().getParent().resolve("@modelcontextprotocol/client/dist/index.mjs");
        Path script = Path.of("clients/dpop-client.mjs").toAbsolutePath();
        String version = clients.version("@modelcontextprotocol/client");
        try (NodeClientProcess client = NodeClientProcess.start("@modelcontextprotocol/client " + version, clients.node(), script,
                List.of(stack.mcpUrl(), McpOAuthClient.REDIRECT_URI), Map.of("MCP_CLIENT_MODULE", module.toString()))) {
            client.showingOutputOnFailure(() -> {
                String url = client.awaitUrlAfter(Output.STDOUT, "AUTHORIZE ", CLIENT_WAIT);
                URI redirect = AuthorizationUrlSignIn.signIn(url, "alice", "alice");
                client.writeLine(redirect.toString());
                Function<String, Function<String, Optional<String>>> after = marker -> line -> line.startsWith(marker)
                        ? Optional.of(line.substring(marker.length())) : Optional.empty();
                String thumbprint = client.awaitLine(Output.STDOUT, "its key's thumbprint", CLIENT_WAIT, after.apply("THUMBPRINT "));
                Map<String, Object> registered = Json.object(client.awaitLine(Output.STDOUT, "its registration", CLIENT_WAIT, after.apply("REGISTERED ")));
                // The SDK drops members its schema lacks from what it keeps of the answer: the realm says what it registered.
                assertEquals("true", stack.admin.client((String) registered.get("client_id")).orElseThrow().getAttributes()
                        .get("dpop.bound.access.tokens"), "dpop_bound_access_tokens of the registration is kept");
                Map<String, Object> tokens = Json.object(client.awaitLine(Output.STDOUT, "its tokens", CLIENT_WAIT, after.apply("TOKENS ")));
                assertEquals("DPoP", tokens.get("token_type"));
                assertEquals(thumbprint, jkt(AccessTokens.claims((String) tokens.get("access_token"))));
                for (String call : List.of("1", "2")) {
                    // A fresh proof for each call: the second would be refused as a replay otherwise.
                    String result = client.awaitLine(Output.STDOUT, "result " + call, CLIENT_WAIT, after.apply("RESULT " + call + " "));
                    assertTrue(result.contains("\"text\":\"alice\""), result);
                }
            });
        }
    }

    @Test
    void tokensIntrospectionAndAPublicClientsRefreshAreBoundToTheKey() {
        Map<String, Object> metadata = Json.object(new Http().get(stack.issuer() + "/.well-known/oauth-authorization-server").body());
        List<?> algs = (List<?>) metadata.get("dpop_signing_alg_values_supported");
        assertNotNull(algs, "advertised where Keycloak has DPoP on");
        assertTrue(algs.contains("ES256") && algs.stream().noneMatch(alg -> String.valueOf(alg).startsWith("HS")), algs.toString());

        Bound bound = boundTokens(stack.mcpUrl());
        assertEquals("DPoP", bound.response().get("token_type"));
        Map<String, Object> claims = AccessTokens.claims(bound.access());
        assertEquals(bound.key().thumbprint(), jkt(claims));
        assertTrue(AccessTokens.audience(bound.access()).contains(stack.mcpUrl()));
        Map<String, Object> introspected = introspect(bound.access());
        assertEquals(true, introspected.get("active"));
        assertEquals(bound.key().thumbprint(), jkt(introspected), "introspection reports cnf.jkt: " + introspected);
        assertEquals(bound.key().thumbprint(), jkt(AccessTokens.claims(bound.refresh())), "a public client's refresh token is bound too");

        // The client registered with dpop_bound_access_tokens: Keycloak wants a proof on each of its token requests
        // (invalid_request; a client without it gets invalid_grant for its bound refresh token, see the strict server test).
        HttpResponse<String> withoutProof = refresh(bound, null);
        assertEquals(400, withoutProof.statusCode(), withoutProof::body);
        assertEquals("invalid_request", Json.object(withoutProof.body()).get("error"));
        HttpResponse<String> otherKey = refresh(bound, new DpopProver().proof("POST", tokenEndpoint(bound.client()), null));
        assertEquals(400, otherKey.statusCode(), otherKey::body);
        assertEquals("invalid_grant", Json.object(otherKey.body()).get("error"));

        HttpResponse<String> refreshed = refresh(bound, bound.key().proof("POST", tokenEndpoint(bound.client()), null));
        assertEquals(200, refreshed.statusCode(), refreshed::body);
        String access = (String) Json.object(refreshed.body()).get("access_token");
        assertEquals(bound.key().thumbprint(), jkt(AccessTokens.claims(access)));
        assertTrue(AccessTokens.audience(access).contains(stack.mcpUrl()), "the refresh keeps the MCP server's audience");
        assertEquals(200, initialize("DPoP", access, List.of(bound.key().proof("POST", stack.mcpUrl(), access))).statusCode());
    }

    @Test
    void hostileProofsAtTheSampleServerGet401InvalidDpopProof() {
        Bound bound = boundTokens(stack.mcpUrl());
        String token = bound.access();
        DpopProver key = bound.key();
        String url = stack.mcpUrl();
        String replayed = key.proof("POST", url, token);
        assertEquals(200, initialize("DPoP", token, List.of(replayed)).statusCode(), "a valid proof");

        Map<String, List<String>> hostile = new LinkedHashMap<>();
        hostile.put("wrong htu", List.of(key.proof("POST", url + "/other", token)));
        hostile.put("wrong htm", List.of(key.proof("GET", url, token)));
        hostile.put("wrong ath", List.of(key.proof("POST", url, token + "x")));
        hostile.put("replayed", List.of(replayed));
        hostile.put("stale iat", List.of(key.proof("POST", url, token, h -> h, c -> c.issueTime(Date.from(Instant.now().minusSeconds(600))))));
        hostile.put("alg none", List.of(key.unsignedProof("POST", url, token)));
        hostile.put("private key in jwk", List.of(key.proofWithPrivateKey("POST", url, token)));
        hostile.put("wrong typ", List.of(key.proof("POST", url, token, h -> h.type(JOSEObjectType.JWT), c -> c)));
        hostile.put("another key", List.of(new DpopProver().proof("POST", url, token)));
        hostile.put("no proof", List.of());
        hostile.forEach((name, proofs) -> {
            HttpResponse<String> refused = initialize("DPoP", token, proofs);
            assertEquals(401, refused.statusCode(), name + ": " + refused.body());
            String challenge = refused.headers().firstValue("WWW-Authenticate").orElseThrow();
            assertTrue(challenge.startsWith("DPoP algs=") && challenge.contains("error=\"invalid_dpop_proof\""), name + ": " + challenge);
        });

        HttpResponse<String> asBearer = initialize("Bearer", token, List.of());
        assertEquals(401, asBearer.statusCode(), "a DPoP-bound token is no bearer token");
        assertTrue(asBearer.headers().firstValue("WWW-Authenticate").orElseThrow().contains("error=\"invalid_token\""));

        Map<String, Object> plain = McpOAuthClient.register(stack, "DPoP IT bearer").tokensFor(stack.mcpUrl(), "alice", "alice");
        assertEquals("Bearer", plain.get("token_type"));
        assertEquals(200, initialize("Bearer", (String) plain.get("access_token"), List.of()).statusCode(), "Bearer keeps working");
    }

    @Test
    void anMcpServerThatRequiresDpopGetsNoTokenWithoutAProof() {
        String server = "http://localhost:" + (stack.mcpUrl().hashCode() & 0x7fff | 0x8000) + "/dpop-only";
        stack.admin.registerMcpServer(server);
        String id = stack.admin.client(server).orElseThrow().getId();
        String api = stack.keycloak.baseUrl() + "/admin/realms/" + McpStack.REALM + "/mcp/servers/" + id + "/dpop";
        HttpResponse<String> set = new Http().send(Http.request(api, "Authorization", "Bearer " + stack.admin.accessToken(),
                "Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"required\":true}")).build());
        assertEquals(200, set.statusCode(), set::body);
        HttpResponse<String> badBody = new Http().send(Http.request(api, "Authorization", "Bearer " + stack.admin.accessToken(),
                "Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"required\":\"yes\"}")).build());
        assertEquals(400, badBody.statusCode(), badBody::body);

        McpOAuthClient client = McpOAuthClient.register(stack, "DPoP IT strict server");
        DpopProver key = new DpopProver();
        Pkce pkce = Pkce.create();
        String[] code = {client.signInAndConsent(client.authorizationRequest(pkce, server), "alice", "alice")};
        HttpResponse<String> refused = exchange(client, null, server, code, pkce);
        assertEquals(400, refused.statusCode(), refused::body);
        Map<String, Object> error = Json.object(refused.body());
        assertEquals("invalid_request", error.get("error"));
        assertTrue(String.valueOf(error.get("error_description")).contains("DPoP"), error.toString());

        // The code was not used up: the client tries again with a proof.
        HttpResponse<String> bound = exchange(client, key, server, code, pkce);
        assertEquals(200, bound.statusCode(), bound::body);
        Map<String, Object> tokens = Json.object(bound.body());
        assertEquals(key.thumbprint(), jkt(AccessTokens.claims((String) tokens.get("access_token"))));
        assertTrue(AccessTokens.audience((String) tokens.get("access_token")).contains(server));

        // A public client's refresh token is bound to the key: Keycloak refuses a refresh without a proof before the pack's
        // rule (which is what stops a confidential client, whose refresh tokens are not bound).
        HttpResponse<String> refreshWithout = client.refresh((String) tokens.get("refresh_token"), null);
        assertEquals(400, refreshWithout.statusCode(), refreshWithout::body);
        assertEquals("invalid_grant", Json.object(refreshWithout.body()).get("error"), refreshWithout.body());
        HttpResponse<String> refreshWith = client.http.postForm(tokenEndpoint(client), Map.of("grant_type", "refresh_token",
                "client_id", client.clientId, "refresh_token", (String) tokens.get("refresh_token")), "DPoP",
                key.proof("POST", tokenEndpoint(client), null));
        assertEquals(200, refreshWith.statusCode(), refreshWith::body);

        List<Map<String, Object>> servers = Json.array(new Http().get(stack.keycloak.baseUrl() + "/admin/realms/" + McpStack.REALM
                + "/mcp/servers", "Authorization", "Bearer " + stack.admin.accessToken()).body());
        assertEquals(true, servers.stream().filter(s -> server.equals(s.get("url"))).findFirst().orElseThrow().get("dpopRequired"));
        assertEquals(false, servers.stream().filter(s -> stack.mcpUrl().equals(s.get("url"))).findFirst().orElseThrow().get("dpopRequired"));
    }

    /** The per-server rule holds for every grant that binds tokens to an MCP server: here a machine client's. */
    @Test
    void aMachineClientGetsNoTokenForADpopOnlyServerWithoutAProof() {
        String server = "http://localhost:" + (stack.mcpUrl().hashCode() & 0x7fff | 0x8000) + "/dpop-only-machines";
        stack.admin.registerMcpServer(server);
        String id = stack.admin.client(server).orElseThrow().getId();
        String base = stack.keycloak.baseUrl() + "/admin/realms/" + McpStack.REALM + "/mcp/";
        HttpResponse<String> set = new Http().send(Http.request(base + "servers/" + id + "/dpop", "Authorization",
                "Bearer " + stack.admin.accessToken(), "Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"required\":true}")).build());
        assertEquals(200, set.statusCode(), set::body);
        String clientId = "dpop-machine-" + Integer.toHexString(server.hashCode());
        HttpResponse<String> created = new Http().send(Http.request(base + "machine-clients", "Authorization",
                "Bearer " + stack.admin.accessToken(), "Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers
                .ofString(Json.write(Map.of("clientId", clientId, "authMethod", "client_secret_basic", "scopes", List.of("mcp:tools"),
                        "resources", List.of(server))))).build());
        assertEquals(201, created.statusCode(), created::body);
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((clientId + ":" + Json.object(created.body()).get("secret"))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String tokenEndpoint = stack.issuer() + "/protocol/openid-connect/token";
        Map<String, String> form = Map.of("grant_type", "client_credentials", "resource", server, "scope", "mcp:tools");
        stack.admin.setRegistrationPolicy("client-credentials", "true");
        try {
            HttpResponse<String> refused = new Http().postForm(tokenEndpoint, form, "Authorization", basic);
            assertEquals(400, refused.statusCode(), refused::body);
            assertEquals("invalid_request", Json.object(refused.body()).get("error"), refused.body());

            DpopProver key = new DpopProver();
            HttpResponse<String> bound = new Http().postForm(tokenEndpoint, form, "Authorization", basic, "DPoP",
                    key.proof("POST", tokenEndpoint, null));
            assertEquals(200, bound.statusCode(), bound::body);
            Map<String, Object> tokens = Json.object(bound.body());
            assertEquals("DPoP", tokens.get("token_type"));
            assertEquals(key.thumbprint(), jkt(AccessTokens.claims((String) tokens.get("access_token"))));
            assertTrue(AccessTokens.audience((String) tokens.get("access_token")).contains(server));
        } finally {
            stack.admin.setRegistrationPolicy("client-credentials", "false");
        }
    }
}
