package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.keycloakmcp.core.KeycloakFeature;
import dev.keycloakmcp.it.pages.FormPostPage;
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
 * A corpus of hostile or malformed registration, authorization and token requests, each with the status and
 * error code it must get from the real Keycloak with the pack: none is accepted, none answers 5xx, and none
 * leaves a client behind.
 */
@McpStackTest
class HostileRequestsIT {

    private static McpStack stack;
    private static RealmAdmin admin;
    private static String otherServer;

    @BeforeAll
    static void setUp() throws Exception {
        admin = stack.admin;
        otherServer = "http://localhost:" + KeycloakDistribution.freePort() + "/mcp";
        admin.registerMcpServer(otherServer);
    }

    // ---- registration -------------------------------------------------------------------------------------

    static Stream<Arguments> registrations() {
        List<Arguments> cases = new ArrayList<>();
        for (String uri : List.of("http://evil.example.com/cb", "http://127.0.0.1.evil.example/cb", "http://localhost.evil.example/cb",
                "http://127.0.0.2/cb", "http://0.0.0.0/cb", "http://10.0.0.1/cb", "http://[::2]/cb", "http://localhost@evil.example/cb",
                "https://user:pass@example.com/cb", "file:///etc/passwd", "javascript:alert(1)", "JavaScript:alert(1)",
                "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "about:blank", "blob:https://example.com/x",
                "ftp://example.com/cb", "ws://localhost/cb", "myapp://callback", "https://example.com/cb#frag", "http://localhost/cb#",
                "https://*.example.com/cb", "http://localhost:*/cb", "https://example.com/*", "/relative/cb", "cb", "", " ",
                "https://", "https:///path", "http://exa mple.com/cb", "https://example.com/" + "a".repeat(300),
                "http://localhost\\@evil.example/cb", "urn:ietf:wg:oauth:2.0:oob", "https://example.com:99999/cb")) {
            cases.add(registration("redirect " + uri, Map.of("redirect_uris", List.of(uri)), 400, "invalid_redirect_uri"));
        }
        // Keycloak's own origin (this suite: http://localhost:<port>), however written, and redirect URIs with a query.
        String keycloak = stack.keycloak.baseUrl();
        int keycloakPort = java.net.URI.create(keycloak).getPort();
        for (String uri : List.of(stack.issuer() + "/protocol/openid-connect/auth?client_id=other&response_type=code"
                        + "&redirect_uri=https%3A%2F%2Fattacker.example%2Fcb", keycloak + "/callback", "http://127.0.0.1:" + keycloakPort + "/callback",
                "http://[::1]:" + keycloakPort + "/callback", "http://LOCALHOST:" + keycloakPort + "/callback",
                "https://example.com/cb?next=https://evil.example", "http://127.0.0.1:33418/callback?x=1", "https://example.com/cb?")) {
            cases.add(registration("redirect " + uri, Map.of("redirect_uris", List.of(uri)), 400, "invalid_redirect_uri"));
        }
        cases.add(registration("post-logout to Keycloak itself", Map.of("redirect_uris", List.of(McpOAuthClient.REDIRECT_URI),
                "post_logout_redirect_uris", List.of(keycloak + "/realms/mcp/account")), 400, "invalid_client_metadata"));
        cases.add(registration("web app with loopback", Map.of("redirect_uris", List.of("http://localhost/cb"), "application_type", "web"),
                400, "invalid_redirect_uri"));
        cases.add(registration("web app with custom scheme", Map.of("redirect_uris", List.of("com.example.app:/cb"), "application_type", "web"),
                400, "invalid_redirect_uri"));
        cases.add(registration("eleven redirect URIs", Map.of("redirect_uris", java.util.Collections.nCopies(11, "http://localhost/cb")),
                400, "invalid_redirect_uri"));
        cases.add(registration("no redirect URIs", Map.of("client_name", "x"), 400, "invalid_redirect_uri"));
        cases.add(registration("empty redirect URI list", Map.of("redirect_uris", List.of()), 400, "invalid_redirect_uri"));
        cases.add(registration("null redirect URI", Map.of("redirect_uris", java.util.Arrays.asList((String) null)), 400, "invalid_redirect_uri"));
        String ok = "http://localhost/cb";
        for (String grant : List.of("implicit", "password", "client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "urn:ietf:params:oauth:grant-type:token-exchange", "urn:ietf:params:oauth:grant-type:device_code", "unknown")) {
            cases.add(registration("grant " + grant, Map.of("redirect_uris", List.of(ok), "grant_types", List.of(grant)), 400,
                    "invalid_client_metadata"));
        }
        for (String responseType : List.of("token", "id_token", "code id_token", "code token", "none", "")) {
            cases.add(registration("response type '" + responseType + "'", Map.of("redirect_uris", List.of(ok),
                    "response_types", List.of(responseType)), 400, "invalid_client_metadata"));
        }
        cases.add(registration("client_id chosen by client", Map.of("redirect_uris", List.of(ok), "client_id", "admin-cli"), 400,
                "invalid_client_metadata"));
        cases.add(registration("application_type tv", Map.of("redirect_uris", List.of(ok), "application_type", "tv"), 400,
                "invalid_client_metadata"));
        cases.add(registration("1 MB client_name", Map.of("redirect_uris", List.of(ok), "client_name", "x".repeat(1024 * 1024)), 400,
                "invalid_client_metadata"));
        cases.add(registration("256-character client_name", Map.of("redirect_uris", List.of(ok), "client_name", "x".repeat(256)), 400,
                "invalid_client_metadata"));
        cases.add(registration("client_name pulling in realm texts", Map.of("redirect_uris", List.of(ok), "client_name", "${mcpGrantVerified}"),
                400, "invalid_client_metadata"));
        cases.add(registration("client_name with a right-to-left override", Map.of("redirect_uris", List.of(ok),
                "client_name", "Safe \u202Egnp.exe"), 400, "invalid_client_metadata"));
        cases.add(registration("client_name with a line break", Map.of("redirect_uris", List.of(ok), "client_name", "A\nB"), 400,
                "invalid_client_metadata"));
        cases.add(registration("long client_uri", Map.of("redirect_uris", List.of(ok), "client_uri", "https://e.com/" + "a".repeat(300)), 400,
                "invalid_client_metadata"));
        cases.add(registration("long logo_uri", Map.of("redirect_uris", List.of(ok), "logo_uri", "https://e.com/" + "a".repeat(2100)), 400,
                "invalid_client_metadata"));
        cases.add(registration("post-logout javascript", Map.of("redirect_uris", List.of(ok), "post_logout_redirect_uris",
                List.of("javascript:alert(1)")), 400, "invalid_client_metadata"));
        cases.add(registration("post-logout evil http", Map.of("redirect_uris", List.of(ok), "post_logout_redirect_uris",
                List.of("http://evil.example.com/")), 400, "invalid_client_metadata"));
        cases.add(registration("redirect_uris as string", Map.of("redirect_uris", ok), 400, "invalid_client_metadata"));
        cases.add(registration("redirect_uris as object", Map.of("redirect_uris", Map.of("a", ok)), 400, "invalid_client_metadata"));
        cases.add(registration("grant_types as number", Map.of("redirect_uris", List.of(ok), "grant_types", 7), 400, "invalid_client_metadata"));
        cases.add(registration("client_name as object", Map.of("redirect_uris", List.of(ok), "client_name", Map.of("x", 1)), 400,
                "invalid_client_metadata"));
        // One strict parser for bodies and documents: no data after the object, no member twice, the JSON types
        // RFC 7591 gives, whole Unicode characters.
        String valid = "{\"client_name\":\"strict\",\"redirect_uris\":[\"" + ok + "\"]";
        for (String body : List.of(valid + "} trailing", valid + "}{}", valid + "} {\"redirect_uris\":[\"http://evil.example.com/cb\"]}",
                valid + ",\"scope\":5}", valid + ",\"scope\":true}", valid + ",\"client_uri\":[\"https://example.com\"]}",
                valid + ",\"require_auth_time\":\"true\"}", valid + ",\"default_max_age\":\"60\"}", valid + ",\"contacts\":\"x\"}",
                "{\"client_name\":\"\\ud800\",\"redirect_uris\":[\"" + ok + "\"]}",
                "{\"client_name\":\"a\\udc00\",\"redirect_uris\":[\"" + ok + "\"]}",
                valid + ",\"client_name\":\"twice\"}")) {
            cases.add(Arguments.of("body " + body, body, 400, "invalid_client_metadata"));
        }
        for (String body : List.of("", "null", "[]", "\"text\"", "42", "true", "{", "{\"redirect_uris\":[\"" + ok + "\"]", "<xml/>",
                "{\"redirect_uris\":[\"" + ok + "\"],\"x\":\"" + "a".repeat(70 * 1024) + "\"}")) {
            cases.add(Arguments.of("body " + (body.length() > 40 ? body.substring(0, 40) + "…" : body), body, 400, "invalid_client_metadata"));
        }
        return cases.stream();
    }

    private static Arguments registration(String name, Map<String, Object> members, int status, String error) {
        Map<String, Object> body = new LinkedHashMap<>(McpOAuthClient.typicalRegistration("hostile"));
        body.remove("redirect_uris");
        body.putAll(members);
        return Arguments.of(name, Json.write(body), status, error);
    }

    @ParameterizedTest(name = "registration: {0}")
    @MethodSource("registrations")
    void hostileRegistrationIsRefused(String name, String body, int status, String error) {
        int before = admin.clients().size();
        HttpResponse<String> response = new Http().postJson(stack.issuer() + "/clients-registrations/mcp", body);
        assertEquals(status, response.statusCode(), response.body());
        Map<String, Object> refusal = Json.object(response.body());
        assertEquals(error, refusal.get("error"), response.body());
        assertFalse(String.valueOf(refusal.get("error_description")).isBlank());
        assertEquals(before, admin.clients().size(), "nothing is left behind");
    }

    // ---- authorization ------------------------------------------------------------------------------------

    /** A redirect back to the client with this error, or (error == null) an error page that does not redirect. */
    static Stream<Arguments> authorizations() {
        return Stream.of(
                authorization("no PKCE", r -> { r.remove("code_challenge"); r.remove("code_challenge_method"); }, "invalid_request"),
                authorization("PKCE plain", r -> { r.put("code_challenge_method", "plain"); r.put("code_challenge", "a".repeat(50)); }, "invalid_request"),
                authorization("PKCE S512", r -> r.put("code_challenge_method", "S512"), "invalid_request"),
                authorization("challenge without method", r -> r.remove("code_challenge_method"), "invalid_request"),
                authorization("method without challenge", r -> r.remove("code_challenge"), "invalid_request"),
                authorization("short challenge", r -> r.put("code_challenge", "abc"), "invalid_request"),
                authorization("challenge with bad characters", r -> r.put("code_challenge", "!".repeat(43)), "invalid_request"),
                authorization("overlong challenge", r -> r.put("code_challenge", "a".repeat(129)), "invalid_request"),
                authorization("unknown resource", r -> r.put("resource", "https://unknown.example.com/mcp"), "invalid_target"),
                authorization("resource with fragment", r -> r.put("resource", r.get("resource") + "#x"), "invalid_target"),
                authorization("relative resource", r -> r.put("resource", "/mcp"), "invalid_target"),
                authorization("resource of the realm itself", r -> r.put("resource", stack.issuer()), "invalid_target"),
                authorization("response_type token", r -> r.put("response_type", "token"), "unauthorized_client"),
                authorization("response_type code id_token", r -> r.put("response_type", "code id_token"), "unauthorized_client"),
                authorization("unknown response_type", r -> r.put("response_type", "magic"), "unsupported_response_type"),
                authorization("missing response_type", r -> r.remove("response_type"), "invalid_request"),
                authorization("prompt=none without a session", r -> r.put("prompt", "none"), "login_required"),
                authorization("unsigned request object", r -> r.put("request", "eyJhbGciOiJub25lIn0.eyJ4IjoxfQ."), null),
                authorization("request_uri into the network", r -> r.put("request_uri", "http://127.0.0.1:9/x"), null),
                authorization("unknown scope", r -> r.put("scope", "mcp:tools admin"), "invalid_scope"),
                authorization("redirect to another host", r -> r.put("redirect_uri", "http://evil.example.com/callback"), null),
                authorization("redirect javascript", r -> r.put("redirect_uri", "javascript:alert(1)"), null),
                authorization("redirect on another path", r -> r.put("redirect_uri", "http://127.0.0.1:33418/other"), null),
                authorization("redirect https loopback", r -> r.put("redirect_uri", "https://127.0.0.1:33418/callback"), null),
                authorization("redirect look-alike host", r -> r.put("redirect_uri", "http://127.0.0.1.evil.example:33418/callback"), null),
                // The client registered http://127.0.0.1:33418/callback, so any loopback port matches (RFC 8252): not Keycloak's own.
                authorization("redirect to Keycloak's own port", r -> r.put("redirect_uri",
                        "http://127.0.0.1:" + java.net.URI.create(stack.keycloak.baseUrl()).getPort() + "/callback"), null),
                authorization("unknown client", r -> r.put("client_id", "no-such-client"), null),
                authorization("missing client", r -> r.remove("client_id"), null));
    }

    private static Arguments authorization(String name, Consumer<Map<String, String>> change, String redirectError) {
        return Arguments.of(name, change, redirectError);
    }

    @ParameterizedTest(name = "authorization: {0}")
    @MethodSource("authorizations")
    void hostileAuthorizationIsRefused(String name, Consumer<Map<String, String>> change, String redirectError) {
        McpOAuthClient client = McpOAuthClient.register(stack, "Hostile authorization " + name);
        Map<String, String> request = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        change.accept(request);
        HttpResponse<String> response = client.authorize(request);
        if (redirectError == null) {
            assertEquals(400, response.statusCode(), "an invalid redirect or client gets an error page, never a redirect");
            assertTrue(response.headers().firstValue("Location").isEmpty());
        } else {
            Map<String, String> query = McpOAuthClient.redirectQuery(response, request.getOrDefault("redirect_uri", McpOAuthClient.REDIRECT_URI));
            assertEquals(redirectError, query.get("error"), query.toString());
            assertNull(query.get("code"));
        }
    }

    /**
     * Any response mode but the query gets invalid_request, delivered as Keycloak delivers errors in that mode (to the
     * verified redirect URI), and no code: a fragment would be carried on by any redirect at the redirect URI, and no
     * MCP client reads the other formats.
     */
    @ParameterizedTest(name = "authorization: response_mode {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"fragment", "form_post", "jwt", "query.jwt", "fragment.jwt", "form_post.jwt"})
    void responseModesOtherThanTheQueryAreRefused(String responseMode) {
        McpOAuthClient client = McpOAuthClient.register(stack, "Hostile response mode " + responseMode);
        Map<String, String> request = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
        request.put("response_mode", responseMode);
        Map<String, String> answer = answerParameters(client.authorize(request));
        assertEquals("invalid_request", answer.get("error"), answer.toString());
        assertTrue(answer.get("error_description").contains("response_mode must be query"), answer.toString());
        assertNull(answer.get("code"));

        request.put("response_mode", "query");
        assertEquals(200, client.authorize(request).statusCode(), "the query goes on to sign-in");
    }

    /**
     * The parameters of an authorization response in whichever form Keycloak sent it to {@link McpOAuthClient#REDIRECT_URI}:
     * the query or fragment of a redirect, a form posted back, or the claims of a JARM {@code response} JWT.
     */
    private static Map<String, String> answerParameters(HttpResponse<String> response) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (response.statusCode() == 200) {
            FormPostPage page = new FormPostPage(response);
            assertEquals(McpOAuthClient.REDIRECT_URI, page.target());
            page.parameters().forEach((name, values) -> parameters.put(name, values.get(values.size() - 1)));
        } else {
            parameters.putAll(McpOAuthClient.redirectQuery(response));
        }
        String jwt = parameters.remove("response");
        if (jwt != null) {
            AccessTokens.claims(jwt).forEach((name, value) -> parameters.put(name, String.valueOf(value)));
        }
        return parameters;
    }

    // ---- token endpoint -----------------------------------------------------------------------------------

    static Stream<Arguments> tokenRequests() {
        return Stream.of(
                token("password grant", f -> { f.clear(); f.putAll(Map.of("grant_type", "password", "username", "alice", "password", "alice")); }, 400, "unauthorized_client"),
                token("client_credentials grant", f -> { f.clear(); f.put("grant_type", "client_credentials"); }, 400, "unauthorized_client"),
                token("implicit grant", f -> f.put("grant_type", "implicit"), 400, "unsupported_grant_type"),
                token("unknown grant", f -> f.put("grant_type", "magic"), 400, "unsupported_grant_type"),
                token("missing grant_type", f -> f.remove("grant_type"), 400, "invalid_request"),
                token("garbage code", f -> f.put("code", "garbage"), 400, "invalid_grant"),
                token("missing code", f -> f.remove("code"), 400, "invalid_request"),
                token("wrong verifier", f -> f.put("code_verifier", Pkce.create().verifier()), 400, "invalid_grant"),
                token("missing verifier", f -> f.remove("code_verifier"), 400, "invalid_grant"),
                token("short verifier", f -> f.put("code_verifier", "abc"), 400, "invalid_grant"),
                token("challenge as verifier", f -> f.put("code_verifier", Pkce.s256(f.get("code_verifier"))), 400, "invalid_grant"),
                token("wrong redirect_uri", f -> f.put("redirect_uri", "http://127.0.0.1:33418/other"), 400, "invalid_grant"),
                token("unknown client", f -> f.put("client_id", "no-such-client"), 401, "invalid_client"),
                token("unknown resource", f -> f.put("resource", "https://unknown.example.com/mcp"), 400, WRONG_RESOURCE_AT_CODE_EXCHANGE),
                token("another server's resource", f -> f.put("resource", otherServer), 400, WRONG_RESOURCE_AT_CODE_EXCHANGE),
                token("relative resource", f -> f.put("resource", "/mcp"), 400, WRONG_RESOURCE_AT_CODE_EXCHANGE),
                token("token exchange grant", f -> f.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"), 400, "invalid_request"),
                // The suite's realm does not allow MCP clients the device grant (DeviceGrantIT switches it on for itself).
                token("device grant", f -> f.put("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), 400, "unauthorized_client"),
                token("garbage refresh token", f -> { f.clear(); f.putAll(Map.of("grant_type", "refresh_token", "refresh_token", "garbage")); }, 400, "invalid_grant"),
                token("missing refresh token", f -> { f.clear(); f.put("grant_type", "refresh_token"); }, 400, "invalid_request"));
    }

    /** invalid_target where codes carry their resource (26.7); before, Keycloak's answer to the client policy (the table). */
    private static final String WRONG_RESOURCE_AT_CODE_EXCHANGE = RunningKeycloak.has(KeycloakFeature.RESOURCE_IN_CODES) ? "invalid_target" : "invalid_grant";

    private static Arguments token(String name, Consumer<Map<String, String>> change, int status, String error) {
        return Arguments.of(name, change, status, error);
    }

    @Compat
    @ParameterizedTest(name = "token: {0}")
    @MethodSource("tokenRequests")
    void hostileTokenRequestIsRefused(String name, Consumer<Map<String, String>> change, int status, String error) {
        McpOAuthClient client = McpOAuthClient.register(stack, "Hostile token " + name);
        Pkce pkce = Pkce.create();
        String code = client.signInAndConsent(client.authorizationRequest(pkce, stack.mcpUrl()), "alice", "alice");
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", McpOAuthClient.REDIRECT_URI, "code_verifier", pkce.verifier(), "resource", stack.mcpUrl()));
        change.accept(form);
        form.putIfAbsent("client_id", client.clientId);
        HttpResponse<String> response = client.http.postForm((String) client.metadata.get("token_endpoint"), form);
        assertEquals(status, response.statusCode(), response.body());
        Map<String, Object> refusal = Json.object(response.body());
        assertEquals(error, refusal.get("error"), response.body());
        assertNull(refusal.get("access_token"));
    }

}
