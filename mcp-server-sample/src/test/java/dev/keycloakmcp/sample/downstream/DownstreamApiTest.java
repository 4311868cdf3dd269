package dev.keycloakmcp.sample.downstream;

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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;

import dev.keycloakmcp.resourceserver.IntrospectionSettings;
import dev.keycloakmcp.resourceserver.McpAuthSettings;
import dev.keycloakmcp.resourceserver.SignedTokenSettings;
import dev.keycloakmcp.resourceserver.StubAuthorizationServer;

/** The downstream API's answers (RFC 6750) against the library's stand-in authorization server. */
class DownstreamApiTest {

    private static final String API = "http://localhost:3001/api";
    private static StubAuthorizationServer keycloak;
    private static DownstreamApi api;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        keycloak = new StubAuthorizationServer();
        DownstreamApiConfig config = DownstreamApiConfig.fromEnvironment(new String[0], Map.of("DOWNSTREAM_PORT", "0"));
        McpAuthSettings settings = new McpAuthSettings(StubAuthorizationServer.ISSUER, API, null, API, "secret", "downstream:read",
                new IntrospectionSettings(keycloak.uri(), IntrospectionSettings.defaults().connectTimeout(), IntrospectionSettings.defaults().timeout(),
                        java.time.Duration.ZERO, java.time.Duration.ZERO, 100, 4),
                new SignedTokenSettings(keycloak.jwksUri(), SignedTokenSettings.defaults().refetchInterval(), SignedTokenSettings.defaults().clockSkew()));
        api = DownstreamApi.start(config, keycloak.verifier(settings));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        keycloak.close();
    }

    private static HttpResponse<String> get(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + api.port() + "/api/profile")).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(String audience, String scope) {
        Instant now = Instant.now();
        return StubAuthorizationServer.sign(StubAuthorizationServer.accessTokenClaims().audience(audience).claim("scope", scope)
                .issueTime(Date.from(now)).build(), StubAuthorizationServer.REALM_KEY, JWSAlgorithm.RS256);
    }

    private static String introspected(String scope) {
        return "{\"active\":true,\"iss\":\"" + StubAuthorizationServer.ISSUER + "\",\"aud\":\"" + API + "\",\"typ\":\"Bearer\","
                + "\"sub\":\"user-id\",\"username\":\"alice\",\"client_id\":\"http://localhost:3000/mcp\",\"scope\":\"" + scope
                + "\",\"exp\":" + (Instant.now().getEpochSecond() + 300) + "}";
    }

    @Test
    void noTokenIsTheStartOfAChallenge() throws Exception {
        HttpResponse<String> answer = get();
        assertEquals(401, answer.statusCode());
        assertEquals("Bearer", answer.headers().firstValue("WWW-Authenticate").orElseThrow());
    }

    @Test
    void theMcpTokenIsRefusedWithoutAskingKeycloak() throws Exception {
        int calls = keycloak.calls.get();
        HttpResponse<String> answer = get("Authorization", "Bearer " + token(StubAuthorizationServer.RESOURCE, "mcp:tools downstream:read"));
        assertEquals(401, answer.statusCode());
        assertEquals("Bearer error=\"invalid_token\"", answer.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(calls, keycloak.calls.get(), "wrong audience: refused locally");
    }

    @Test
    void aTokenForTheApiWithoutItsScopeIsForbidden() throws Exception {
        keycloak.body = introspected("profile");
        HttpResponse<String> answer = get("Authorization", "Bearer " + token(API, "profile"));
        assertEquals(403, answer.statusCode());
        assertEquals("Bearer error=\"insufficient_scope\", scope=\"downstream:read\"", answer.headers().firstValue("WWW-Authenticate").orElseThrow());
    }

    @Test
    void aTokenForTheApiWithItsScopeGetsTheProfile() throws Exception {
        keycloak.body = introspected("downstream:read");
        HttpResponse<String> answer = get("Authorization", "Bearer " + token(API, "downstream:read"));
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"username\":\"alice\"") && answer.body().contains("\"client\":\"http://localhost:3000/mcp\""),
                answer.body());
    }

    @Test
    void anInactiveTokenIsRefused() throws Exception {
        keycloak.body = "{\"active\":false}";
        HttpResponse<String> answer = get("Authorization", "Bearer " + token(API, "downstream:read"));
        assertEquals(401, answer.statusCode());
    }

    @Test
    void malformedAuthorizationIsABadRequest() throws Exception {
        for (List<String> headers : List.of(List.of("Authorization", "Basic dXNlcjpwdw=="), List.of("Authorization", "Bearer "),
                List.of("Authorization", "Bearer a", "Authorization", "Bearer b"))) {
            HttpResponse<String> answer = get(headers.toArray(String[]::new));
            assertEquals(400, answer.statusCode(), headers::toString);
        }
    }

    @Test
    void profilePathFollowsTheIdentifier() {
        assertEquals("/api/profile", DownstreamApiConfig.fromEnvironment(new String[0], Map.of()).profilePath());
        assertEquals("/profile", DownstreamApiConfig.fromEnvironment(new String[0], Map.of("DOWNSTREAM_AUDIENCE", "https://api.example.com")).profilePath());
    }
}
