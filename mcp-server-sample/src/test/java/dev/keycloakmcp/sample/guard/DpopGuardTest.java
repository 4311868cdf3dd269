package dev.keycloakmcp.sample.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;

import dev.keycloakmcp.resourceserver.DpopProofs;
import dev.keycloakmcp.resourceserver.StubAuthorizationServer;
import dev.keycloakmcp.sample.McpSampleServer;

/**
 * DPoP at the sample server's MCP endpoint, with a stub introspection endpoint: every hostile proof and every scheme
 * mix-up is a 401 with the RFC 9449 challenge, never a 5xx or a pass. The canonical URL (port 3000) differs from the
 * port the server listens on, as behind a proxy: {@code htu} is checked against the canonical one. (Against the real
 * Keycloak: DpopIT.)
 */
class DpopGuardTest {

    private static final long IN_AN_HOUR = Instant.now().getEpochSecond() + 3600;
    private static final String URL = StubAuthorizationServer.RESOURCE;
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    private static final String BOUND = StubAuthorizationServer.active(IN_AN_HOUR).replace("\"typ\":\"Bearer\"",
            "\"typ\":\"DPoP\",\"cnf\":{\"jkt\":\"" + DpopProofs.thumbprint(DpopProofs.CLIENT_KEY) + "\",\"kc-jkt-type\":\"DPoP\"}");

    private static StubAuthorizationServer keycloak;
    private static McpSampleServer server;
    private static McpSampleServer strict;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        keycloak = new StubAuthorizationServer();
        keycloak.body = BOUND;
        server = SampleStub.start(keycloak, SampleStub.config(keycloak, Map.of("MCP_PORT", "0", "MCP_RESOURCE", URL)));
        strict = SampleStub.start(keycloak, SampleStub.config(keycloak, Map.of("MCP_PORT", "0", "MCP_RESOURCE", URL, "MCP_REQUIRE_DPOP", "true")));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        strict.close();
        keycloak.close();
    }

    private static String boundToken() {
        return StubAuthorizationServer.sign(DpopProofs.boundTokenClaims(DpopProofs.CLIENT_KEY).build(), StubAuthorizationServer.REALM_KEY,
                JWSAlgorithm.RS256);
    }

    private HttpResponse<String> post(McpSampleServer target, String authorization, List<String> proofs) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + target.port() + "/mcp"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        proofs.forEach(proof -> request.header("DPoP", proof));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertChallenge(HttpResponse<String> response, String scheme, String error) {
        assertEquals(401, response.statusCode(), response.body());
        String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertTrue(challenge.startsWith(scheme + " "), challenge);
        assertTrue(challenge.contains("error=\"" + error + "\""), challenge);
        assertTrue(response.body().contains("\"error\":\"" + error + "\""), response.body());
    }

    static Stream<Arguments> hostileProofs() {
        Function<String, List<String>> valid = token -> List.of(DpopProofs.proof("POST", URL, token));
        return Stream.of(
                Arguments.of("wrong htu (the URL the server listens on, not the canonical one)",
                        (Function<String, List<String>>) token -> List.of(DpopProofs.proof("POST", "http://localhost:1/mcp", token))),
                Arguments.of("wrong htm", (Function<String, List<String>>) token -> List.of(DpopProofs.proof("GET", URL, token))),
                Arguments.of("wrong ath", (Function<String, List<String>>) token -> List.of(DpopProofs.proof("POST", URL, boundToken()))),
                Arguments.of("stale iat", (Function<String, List<String>>) token -> List.of(DpopProofs.proof("POST", URL, token, h -> h,
                        c -> c.issueTime(Date.from(Instant.now().minusSeconds(300)))))),
                Arguments.of("future iat", (Function<String, List<String>>) token -> List.of(DpopProofs.proof("POST", URL, token, h -> h,
                        c -> c.issueTime(Date.from(Instant.now().plusSeconds(300)))))),
                Arguments.of("alg none", (Function<String, List<String>>) token -> List.of(
                        java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"dpop+jwt\"}".getBytes())
                                + "." + DpopProofs.proof("POST", URL, token).split("\\.")[1] + ".")),
                Arguments.of("private key in jwk", (Function<String, List<String>>) token -> List.of(DpopProofs.proofWithPrivateKey("POST", URL, token))),
                Arguments.of("no jwk", (Function<String, List<String>>) token -> List.of(DpopProofs.proof("POST", URL, token, h -> h.jwk(null), c -> c))),
                Arguments.of("wrong typ", (Function<String, List<String>>) token -> List.of(DpopProofs.proof("POST", URL, token,
                        h -> h.type(JOSEObjectType.JWT), c -> c))),
                Arguments.of("key other than the token's", (Function<String, List<String>>) token -> List.of(DpopProofs.proof(
                        StubAuthorizationServer.ecKey("thief"), "POST", URL, token, h -> h, c -> c))),
                Arguments.of("two DPoP headers", (Function<String, List<String>>) token -> Stream.concat(valid.apply(token).stream(),
                        valid.apply(token).stream()).toList()),
                Arguments.of("malformed", (Function<String, List<String>>) token -> List.of("eyJhbGciOiJFUzI1NiJ9.%%%.x")),
                Arguments.of("no proof", (Function<String, List<String>>) token -> List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileProofs")
    void aHostileProofGets401InvalidDpopProof(String name, Function<String, List<String>> proofs) throws Exception {
        String token = boundToken();
        assertChallenge(post(server, "DPoP " + token, proofs.apply(token)), "DPoP", "invalid_dpop_proof");
    }

    @Test
    void aValidProofPassesOnceAndItsReplayIsRefused() throws Exception {
        String token = boundToken();
        List<String> proof = List.of(DpopProofs.proof("POST", URL, token));
        assertEquals(200, post(server, "DPoP " + token, proof).statusCode());
        assertEquals(200, post(server, "DPoP " + token, List.of(DpopProofs.proof("POST", URL, token))).statusCode(), "a fresh proof");
        assertChallenge(post(server, "DPoP " + token, proof), "DPoP", "invalid_dpop_proof");
    }

    @Test
    void theSchemeMustFitTheToken() throws Exception {
        String bound = boundToken();
        HttpResponse<String> asBearer = post(server, "Bearer " + bound, List.of());
        assertChallenge(asBearer, "Bearer", "invalid_token");

        keycloak.body = StubAuthorizationServer.active(IN_AN_HOUR);
        try {
            String unbound = StubAuthorizationServer.token();
            assertChallenge(post(server, "DPoP " + unbound, List.of(DpopProofs.proof("POST", URL, unbound))), "DPoP", "invalid_token");
            assertEquals(200, post(server, "Bearer " + unbound, List.of()).statusCode(), "Bearer keeps working");
            assertChallenge(post(strict, "Bearer " + unbound, List.of()), "DPoP", "invalid_token");
        } finally {
            keycloak.body = BOUND;
        }
        String token = boundToken();
        assertEquals(200, post(strict, "DPoP " + token, List.of(DpopProofs.proof("POST", URL, token))).statusCode());
    }

    @Test
    void withoutATokenBothSchemesAreOffered() throws Exception {
        HttpResponse<String> anonymous = post(server, null, List.of());
        assertEquals(401, anonymous.statusCode());
        List<String> challenges = anonymous.headers().allValues("WWW-Authenticate");
        assertEquals(2, challenges.size(), challenges.toString());
        assertTrue(challenges.get(0).startsWith("Bearer resource_metadata="), challenges.get(0));
        assertTrue(challenges.get(1).startsWith("DPoP algs=\"ES256 "), challenges.get(1));
        assertTrue(challenges.get(1).contains("resource_metadata="), challenges.get(1));
        for (McpSampleServer target : List.of(server, strict)) {
            String metadata = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + target.port()
                    + "/.well-known/oauth-protected-resource/mcp")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metadata.contains("\"dpop_signing_alg_values_supported\":[\"ES256\""), metadata);
            assertEquals(target == strict, metadata.contains("\"dpop_bound_access_tokens_required\":true"), metadata);
        }
        List<String> strictChallenges = post(strict, null, List.of()).headers().allValues("WWW-Authenticate");
        assertEquals(1, strictChallenges.size(), strictChallenges.toString());
        assertTrue(strictChallenges.get(0).startsWith("DPoP algs="), strictChallenges.get(0));
    }
}
