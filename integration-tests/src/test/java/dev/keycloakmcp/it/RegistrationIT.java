package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.representations.idm.ClientRepresentation;

import dev.keycloakmcp.core.KeycloakFeature;
import dev.keycloakmcp.it.support.Compat;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.RealmAdmin;
import dev.keycloakmcp.it.support.RunningKeycloak;

/** RFC 7591/7592 registration as MCP clients do it, and the refusals that keep hostile registrations out. */
@McpStackTest
class RegistrationIT {

    private static McpStack stack;
    private static RealmAdmin admin;
    private final Http http = new Http();

    @BeforeAll
    static void setUp() {
        admin = stack.admin;
    }

    private String endpoint() {
        return stack.issuer() + "/clients-registrations/mcp";
    }

    @Compat
    @Test
    void anonymousRegistrationMakesASafeMcpClient() {
        Map<String, Object> body = McpOAuthClient.typicalRegistration("Registration IT " + UUID.randomUUID());
        body.put("resource", stack.mcpUrl());
        body.put("logo_uri", "https://example.com/logo.png");
        body.put("token_endpoint_auth_method", "client_secret_basic");

        HttpResponse<String> response = http.postJson(endpoint(), Json.write(body));
        assertEquals(201, response.statusCode(), response.body());
        Map<String, Object> registered = Json.object(response.body());
        assertEquals("none", registered.get("token_endpoint_auth_method"), "MCP clients are public; PKCE is their proof");
        assertEquals(null, registered.get("client_secret"));
        assertTrue(((String) registered.get("scope")).contains("mcp:tools"));
        assertNotNull(registered.get("registration_access_token"));

        ClientRepresentation client = admin.client((String) registered.get("client_id")).orElseThrow();
        assertEquals(true, client.isPublicClient());
        assertEquals(true, client.isConsentRequired());
        assertEquals(false, client.isImplicitFlowEnabled());
        assertEquals(false, client.isDirectAccessGrantsEnabled());
        Map<?, ?> attributes = client.getAttributes();
        assertEquals("S256", attributes.get("pkce.code.challenge.method"));
        assertEquals("dynamic", attributes.get("mcp.client"));
        List<String> optional = admin.optionalScopes(client.getId());
        assertTrue(optional.contains("mcp:tools"), optional.toString());
        assertTrue(optional.contains("offline_access"), optional.toString());
    }

    @Compat
    @Test
    void registrationCannotPickAScopeNotOfferedToAll() {
        admin.createClientScope("internal:admin");
        Map<String, Object> body = McpOAuthClient.typicalRegistration("Scope picker " + UUID.randomUUID());
        body.put("scope", "openid mcp:tools internal:admin no-such-scope");

        HttpResponse<String> response = http.postJson(endpoint(), Json.write(body));
        assertEquals(201, response.statusCode(), response.body());
        String clientUuid = admin.client((String) Json.object(response.body()).get("client_id")).orElseThrow().getId();
        List<String> optional = admin.optionalScopes(clientUuid);
        List<String> defaults = admin.defaultScopes(clientUuid);
        assertTrue(optional.contains("mcp:tools"), optional.toString());
        assertFalse(optional.contains("internal:admin") || defaults.contains("internal:admin"), optional + " " + defaults);
        assertTrue(defaults.contains("mcp-audience"), "the realm's default scopes, as every new client gets them: " + defaults);
    }

    @Compat
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "http://evil.example.com/cb",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "http://127.0.0.1.evil.example/cb",
            "https://example.com/cb#frag",
            "https://*.example.com/cb",
            "/relative"
    })
    void hostileRedirectUrisAreRefusedAndLeaveNothingBehind(String redirectUri) {
        String name = "hostile " + UUID.randomUUID();
        Map<String, Object> body = McpOAuthClient.typicalRegistration(name);
        body.put("redirect_uris", List.of(redirectUri));
        int before = admin.clients().size();

        HttpResponse<String> response = http.postJson(endpoint(), Json.write(body));

        assertEquals(400, response.statusCode(), response.body());
        Map<String, Object> refusal = Json.object(response.body());
        assertEquals("invalid_redirect_uri", refusal.get("error"));
        assertFalse(((String) refusal.get("error_description")).isBlank());
        assertEquals(before, admin.clients().size());
        assertTrue(admin.clients().stream().noneMatch(c -> name.equals(c.getName())));
    }

    @Compat
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"redirect_uris\":[\"http://localhost/cb\"],\"grant_types\":[\"implicit\"]}          | invalid_client_metadata",
            "{\"redirect_uris\":[\"http://localhost/cb\"],\"grant_types\":[\"password\"]}          | invalid_client_metadata",
            "{\"redirect_uris\":[\"http://localhost/cb\"],\"response_types\":[\"token\"]}          | invalid_client_metadata",
            "{\"redirect_uris\":[\"http://localhost/cb\"],\"client_id\":\"mine\"}                  | invalid_client_metadata",
            "{\"redirect_uris\":\"http://localhost/cb\"}                                             | invalid_client_metadata",
            "not json                                                                                | invalid_client_metadata",
            "{}                                                                                      | invalid_redirect_uri"
    })
    void malformedOrOverreachingMetadataIsRefused(String body, String error) {
        int before = admin.clients().size();
        HttpResponse<String> response = http.postJson(endpoint(), body.trim());
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(error, Json.object(response.body()).get("error"));
        assertEquals(before, admin.clients().size());
    }

    @Test
    void oversizedValuesAreRefusedWithoutAServerError() {
        int before = admin.clients().size();
        Map<String, Object> hugeName = McpOAuthClient.typicalRegistration("x".repeat(1024 * 1024));
        HttpResponse<String> name = http.postJson(endpoint(), Json.write(hugeName));
        assertEquals(400, name.statusCode(), () -> name.body().substring(0, Math.min(300, name.body().length())));
        assertEquals("invalid_client_metadata", Json.object(name.body()).get("error"));

        Map<String, Object> longRedirect = McpOAuthClient.typicalRegistration("long redirect");
        longRedirect.put("redirect_uris", List.of("http://localhost:3000/" + "a".repeat(300)));
        HttpResponse<String> redirect = http.postJson(endpoint(), Json.write(longRedirect));
        assertEquals(400, redirect.statusCode(), redirect.body());
        assertEquals("invalid_redirect_uri", Json.object(redirect.body()).get("error"));

        Map<String, Object> longestAccepted = McpOAuthClient.typicalRegistration("n".repeat(255));
        longestAccepted.put("redirect_uris", List.of("http://localhost:3000/" + "a".repeat(255 - "http://localhost:3000/".length())));
        HttpResponse<String> accepted = http.postJson(endpoint(), Json.write(longestAccepted));
        assertEquals(201, accepted.statusCode(), accepted.body());
        assertEquals(before + 1, admin.clients().size());
    }

    @Test
    void urlsKeycloakWouldFetchForTheClientAreNotStored() {
        Map<String, Object> body = McpOAuthClient.typicalRegistration("SSRF attempt");
        body.put("request_uris", List.of("http://127.0.0.1:18999/*"));
        body.put("jwks_uri", "http://169.254.169.254/latest/keys");
        body.put("jwks", Map.of());
        body.put("backchannel_logout_uri", "http://10.0.0.1/logout");
        body.put("sector_identifier_uri", "http://10.0.0.1/sector");
        body.put("token_endpoint_auth_method", "private_key_jwt");

        HttpResponse<String> response = http.postJson(endpoint(), Json.write(body));
        assertEquals(201, response.statusCode(), response.body());
        Map<String, Object> registered = Json.object(response.body());
        assertEquals("none", registered.get("token_endpoint_auth_method"));
        Map<?, ?> attributes = admin.client((String) registered.get("client_id")).orElseThrow().getAttributes();
        for (Object value : attributes.values()) {
            String text = String.valueOf(value);
            assertFalse(text.contains("127.0.0.1:18999") || text.contains("169.254.169.254") || text.contains("10.0.0.1"),
                    () -> "stored: " + attributes);
        }
    }

    @Test
    void initialAccessTokenClientsAreMcpClientsToo() {
        HttpResponse<String> response = http.postJson(endpoint(), Json.write(McpOAuthClient.typicalRegistration("Admin-invited client")),
                "Authorization", "Bearer " + admin.initialAccessToken());
        assertEquals(201, response.statusCode(), response.body());
        ClientRepresentation client = admin.client((String) Json.object(response.body()).get("client_id")).orElseThrow();
        assertEquals(true, client.isPublicClient());
        assertEquals(true, client.isConsentRequired());
        Map<?, ?> attributes = client.getAttributes();
        assertEquals("S256", attributes.get("pkce.code.challenge.method"));
        assertEquals("dynamic", attributes.get("mcp.client"));
    }

    @Test
    void tooManyRegistrationsGet429WithRetryAfter() {
        admin.setRegistrationPolicy("registrations-per-minute", "3");
        try {
            String body = Json.write(McpOAuthClient.typicalRegistration("Rate-limited client"));
            HttpResponse<String> limited = null;
            // Seven attempts hold four in one minute even if a minute boundary falls between them.
            for (int attempt = 0; attempt < 7 && limited == null; attempt++) {
                HttpResponse<String> response = http.postJson(endpoint(), body);
                if (response.statusCode() == 429) {
                    limited = response;
                } else {
                    assertEquals(201, response.statusCode(), response.body());
                }
            }
            assertNotNull(limited, "the fourth registration within a minute is refused");
            int retryAfter = Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
            assertEquals("temporarily_unavailable", Json.object(limited.body()).get("error"));
        } finally {
            admin.setRegistrationPolicy("registrations-per-minute", "0");
        }
    }

    @Test
    void theRealmCapsSelfRegisteredMcpClients() {
        long registered = admin.clients().stream().filter(c -> "dynamic".equals(c.getAttributes().get("mcp.client"))).count();
        admin.setRegistrationPolicy("max-mcp-clients", String.valueOf(registered));
        try {
            int before = admin.clients().size();
            HttpResponse<String> refused = http.postJson(endpoint(), Json.write(McpOAuthClient.typicalRegistration("One too many")));
            assertEquals(403, refused.statusCode(), refused.body());
            assertEquals("insufficient_scope", Json.object(refused.body()).get("error"));
            assertEquals(before, admin.clients().size());
        } finally {
            admin.setRegistrationPolicy("max-mcp-clients", "1000");
        }
        assertEquals(201, http.postJson(endpoint(), Json.write(McpOAuthClient.typicalRegistration("Room again"))).statusCode());
    }

    @Test
    void confidentialClientsOnlyWhenTheAdminAllowsThem() {
        Map<String, Object> body = McpOAuthClient.typicalRegistration("Wants a secret");
        body.put("token_endpoint_auth_method", "client_secret_basic");
        Map<String, Object> metadata = Json.object(http.get(stack.issuer() + "/.well-known/oauth-authorization-server").body());
        assertEquals(List.of("none"), metadata.get("token_endpoint_auth_methods_supported"));

        admin.setRegistrationPolicy("allow-confidential-clients", "true");
        try {
            HttpResponse<String> response = http.postJson(endpoint(), Json.write(body));
            assertEquals(201, response.statusCode(), response.body());
            Map<String, Object> registered = Json.object(response.body());
            assertEquals("client_secret_basic", registered.get("token_endpoint_auth_method"));
            assertFalse(String.valueOf(registered.get("client_secret")).isBlank());
            ClientRepresentation client = admin.client((String) registered.get("client_id")).orElseThrow();
            assertEquals(false, client.isPublicClient());
            assertEquals("S256", client.getAttributes().get("pkce.code.challenge.method"), "PKCE stays required");
            Map<String, Object> allowing = Json.object(http.get(stack.issuer() + "/.well-known/oauth-authorization-server").body());
            assertEquals(List.of("none", "client_secret_basic", "client_secret_post"), allowing.get("token_endpoint_auth_methods_supported"));
        } finally {
            admin.setRegistrationPolicy("allow-confidential-clients", "false");
        }
    }

    @Compat
    @Test
    void browserClientsRegisterOnlyFromConfiguredOrigins() {
        String body = Json.write(McpOAuthClient.typicalRegistration("Browser MCP client"));
        HttpResponse<String> inspector = http.postJson(endpoint(), body, "Origin", "http://localhost:6274");
        assertEquals(201, inspector.statusCode(), inspector.body());
        assertEquals("http://localhost:6274", inspector.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

        int before = admin.clients().size();
        HttpResponse<String> foreign = http.postJson(endpoint(), body, "Origin", "https://evil.example.com");
        if (RunningKeycloak.has(KeycloakFeature.REGISTRATION_ORIGIN_CHECK)) {
            assertEquals(403, foreign.statusCode(), foreign.body());
            assertEquals(before, admin.clients().size());
        } else {
            // Before Keycloak 26.7: created as without an Origin, with no CORS headers, so that the page cannot read the answer.
            assertEquals(201, foreign.statusCode(), foreign.body());
            assertEquals(Optional.empty(), foreign.headers().firstValue("Access-Control-Allow-Origin"), foreign.body());
        }
    }

    @Compat
    @Test
    void stockEndpointStaysClosedToAnonymousRegistration() {
        HttpResponse<String> response = http.postJson(stack.issuer() + "/clients-registrations/openid-connect",
                Json.write(Map.of("client_name", "stock", "redirect_uris", List.of("http://localhost/cb"))));
        assertEquals(403, response.statusCode(), response.body());
        assertEquals("insufficient_scope", Json.object(response.body()).get("error"));
    }

    @Test
    void managementWithoutValidAccessTokenIsRefused() {
        HttpResponse<String> created = http.postJson(endpoint(), Json.write(McpOAuthClient.typicalRegistration("Guarded client")));
        Map<String, Object> registered = Json.object(created.body());
        String clientUri = (String) registered.get("registration_client_uri");
        String update = Json.write(Map.of("client_id", registered.get("client_id"), "redirect_uris", List.of("http://localhost/cb")));

        for (String uri : List.of(clientUri, endpoint() + "/does-not-exist")) {
            for (String[] auth : List.of(new String[0], new String[] {"Authorization", "Bearer garbage"})) {
                int get = http.get(uri, auth).statusCode();
                int put = http.send(Http.request(uri, auth).header("Content-Type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(update)).build()).statusCode();
                int delete = http.send(Http.request(uri, auth).DELETE().build()).statusCode();
                for (int status : new int[] {get, put, delete}) {
                    assertTrue(status >= 400 && status < 500, uri + " answered " + status);
                }
            }
        }
        assertTrue(admin.client((String) registered.get("client_id")).isPresent());
    }

    @Compat
    @Test
    void registrationAccessTokenManagesTheClient() {
        HttpResponse<String> created = http.postJson(endpoint(), Json.write(McpOAuthClient.typicalRegistration("RFC 7592 client")));
        assertEquals(201, created.statusCode(), created.body());
        Map<String, Object> registered = Json.object(created.body());
        String uri = (String) registered.get("registration_client_uri");
        String token = (String) registered.get("registration_access_token");

        HttpResponse<String> read = http.get(uri, "Authorization", "Bearer " + token);
        assertEquals(200, read.statusCode(), read.body());
        Map<String, Object> current = Json.object(read.body());
        assertEquals("RFC 7592 client", current.get("client_name"));
        token = (String) current.get("registration_access_token");

        Map<String, Object> update = McpOAuthClient.typicalRegistration("RFC 7592 client, renamed");
        update.put("client_id", registered.get("client_id"));
        update.put("redirect_uris", List.of("http://evil.example.com/cb"));
        HttpResponse<String> hostileUpdate = http.send(Http.request(uri, "Authorization", "Bearer " + token, "Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(Json.write(update))).build());
        assertEquals(400, hostileUpdate.statusCode(), hostileUpdate.body());
        assertEquals("invalid_redirect_uri", Json.object(hostileUpdate.body()).get("error"));

        update.put("redirect_uris", List.of("http://localhost:4000/callback"));
        HttpResponse<String> updated = http.send(Http.request(uri, "Authorization", "Bearer " + token, "Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(Json.write(update))).build());
        assertEquals(200, updated.statusCode(), updated.body());
        Map<String, Object> afterUpdate = Json.object(updated.body());
        assertEquals("RFC 7592 client, renamed", afterUpdate.get("client_name"));
        assertEquals("none", afterUpdate.get("token_endpoint_auth_method"));
        Map<?, ?> attributes = admin.client((String) registered.get("client_id")).orElseThrow().getAttributes();
        assertEquals("S256", attributes.get("pkce.code.challenge.method"), "an update cannot switch PKCE off");

        String latest = (String) afterUpdate.get("registration_access_token");
        HttpResponse<String> deleted = http.send(Http.request(uri, "Authorization", "Bearer " + latest).DELETE().build());
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertTrue(admin.client((String) registered.get("client_id")).isEmpty());
    }

    private HttpResponse<String> put(String uri, String token, String body) {
        String[] auth = token == null ? new String[0] : new String[] {"Authorization", "Bearer " + token};
        return http.send(Http.request(uri, auth).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The body of an RFC 7592 update that sends back {@code shown} unchanged, less the members §2.2 says not to send. */
    private static String echo(Map<String, Object> shown) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(shown);
        for (String member : List.of("registration_access_token", "registration_client_uri", "client_secret_expires_at", "client_id_issued_at")) {
            body.remove(member);
        }
        return Json.write(body);
    }

    /** Keycloak keeps redirect URIs as a set. */
    private static java.util.Set<Object> uriSet(Map<String, Object> metadata) {
        return new java.util.HashSet<>((List<?>) metadata.get("redirect_uris"));
    }

    @Test
    void whatTheServerReturnsIsAcceptedBackUnchanged() {
        Map<String, Object> body = McpOAuthClient.typicalRegistration("Read-modify-write " + UUID.randomUUID());
        body.put("redirect_uris", List.of("http://127.0.0.1:42675/callback", "https://app.example.com/callback"));
        HttpResponse<String> created = http.postJson(endpoint(), Json.write(body));
        assertEquals(201, created.statusCode(), created.body());
        Map<String, Object> registered = Json.object(created.body());
        assertEquals(List.of("code"), registered.get("response_types"), "Keycloak's internal 'none' stays internal");
        assertEquals(uriSet(body), uriSet(registered), "the port-less loopback form stays internal");
        assertEquals(null, registered.get("post_logout_redirect_uris"), "none registered");
        String uri = (String) registered.get("registration_client_uri");

        HttpResponse<String> updated = put(uri, (String) registered.get("registration_access_token"), echo(registered));
        assertEquals(200, updated.statusCode(), updated.body());
        Map<String, Object> afterUpdate = Json.object(updated.body());
        assertEquals(uriSet(body), uriSet(afterUpdate));
        assertEquals(List.of("code"), afterUpdate.get("response_types"));

        HttpResponse<String> read = http.get(uri, "Authorization", "Bearer " + afterUpdate.get("registration_access_token"));
        assertEquals(200, read.statusCode(), read.body());
        Map<String, Object> current = Json.object(read.body());
        HttpResponse<String> again = put(uri, (String) current.get("registration_access_token"), echo(current));
        assertEquals(200, again.statusCode(), again.body());
        Map<String, Object> unchanged = new java.util.HashMap<>(Json.object(again.body()));
        Map<String, Object> before = new java.util.HashMap<>(current);
        for (String member : List.of("registration_access_token", "client_id_issued_at")) {
            unchanged.remove(member);
            before.remove(member);
        }
        unchanged.put("redirect_uris", uriSet(unchanged));
        before.put("redirect_uris", uriSet(before));
        assertEquals(before, unchanged, "sending back what was read changes nothing");

        // Any loopback port still matches (RFC 8252): the port-less form is still stored.
        List<?> stored = admin.client((String) registered.get("client_id")).orElseThrow().getRedirectUris();
        assertTrue(stored.contains("http://127.0.0.1/callback"), stored.toString());
    }

    @Test
    void anUpdateIsAuthenticatedBeforeItsBodyIsRead() {
        Map<String, Object> victim = Json.object(http.postJson(endpoint(), Json.write(McpOAuthClient.typicalRegistration("Victim"))).body());
        Map<String, Object> other = Json.object(http.postJson(endpoint(), Json.write(McpOAuthClient.typicalRegistration("Other"))).body());
        String uri = (String) victim.get("registration_client_uri");
        String otherToken = (String) other.get("registration_access_token");
        String hostile = Json.write(Map.of("client_id", victim.get("client_id"), "redirect_uris", List.of("http://evil.example.com/cb")));
        String valid = Json.write(Map.of("client_id", victim.get("client_id"), "redirect_uris", List.of("http://localhost:4000/cb")));

        for (String token : java.util.Arrays.asList(null, "garbage", otherToken)) {
            for (String body : List.of(hostile, "not json", "{\"scope\":5}", valid)) {
                HttpResponse<String> response = put(uri, token, body);
                assertEquals(401, response.statusCode(), token + " / " + body + ": " + response.body());
                assertEquals("invalid_token", Json.object(response.body()).get("error"), response.body());
            }
        }
        assertEquals(401, put(endpoint() + "/does-not-exist", otherToken, hostile).statusCode());

        // A signed-in user's ordinary access token is no admin's: refused as GET and DELETE refuse it, body unread.
        String userToken = (String) McpOAuthClient.register(stack, "User token").tokensFor(stack.mcpUrl(), "alice", "alice").get("access_token");
        for (String body : List.of(hostile, "not json", "{\"scope\":5}", valid)) {
            HttpResponse<String> response = put(uri, userToken, body);
            assertEquals(403, response.statusCode(), "user token / " + body + ": " + response.body());
            assertEquals("insufficient_scope", Json.object(response.body()).get("error"), response.body());
        }
        List<?> stored = admin.client((String) victim.get("client_id")).orElseThrow().getRedirectUris();
        assertTrue(stored.contains(McpOAuthClient.REDIRECT_URI) && !stored.contains("http://localhost:4000/cb"), stored.toString());
    }

    /**
     * The chain a security review found: a client whose redirect URI was Keycloak's own authorization endpoint, with
     * a query naming another client, had Keycloak pass the code on to that client's site. Keycloak's own origins (as
     * the request, the realm's frontend URL and the hostname option name them) are refused, at registration and in
     * updates; so are queries; loopback redirect URIs on other ports stay allowed (RFC 8252).
     */
    @Test
    void redirectUrisOnKeycloaksOwnOriginAreRefused() {
        HttpResponse<String> attacker = http.postJson(endpoint(), Json.write(Map.of("client_name", "C2",
                "redirect_uris", List.of("https://attacker.example/cb"))));
        assertEquals(201, attacker.statusCode(), attacker.body());
        Map<String, Object> c2 = Json.object(attacker.body());
        String relay = stack.issuer() + "/protocol/openid-connect/auth?client_id=" + c2.get("client_id")
                + "&response_type=code&redirect_uri=https%3A%2F%2Fattacker.example%2Fcb";
        int before = admin.clients().size();

        HttpResponse<String> refused = http.postJson(endpoint(), Json.write(Map.of("client_name", "Acme Internal Tools",
                "redirect_uris", List.of(relay))));
        assertEquals(400, refused.statusCode(), refused.body());
        Map<String, Object> refusal = Json.object(refused.body());
        assertEquals("invalid_redirect_uri", refusal.get("error"));
        assertTrue(((String) refusal.get("error_description")).contains("points at this server itself"), refused.body());
        for (String uri : List.of(stack.issuer() + "/protocol/openid-connect/auth", stack.keycloak.baseUrl() + "/callback",
                "http://127.0.0.1:" + java.net.URI.create(stack.keycloak.baseUrl()).getPort() + "/callback", "https://app.example.com/cb?x=1")) {
            HttpResponse<String> response = http.postJson(endpoint(), Json.write(Map.of("redirect_uris", List.of(uri))));
            assertEquals(400, response.statusCode(), uri + ": " + response.body());
            assertEquals("invalid_redirect_uri", Json.object(response.body()).get("error"), uri);
        }
        assertEquals(before, admin.clients().size(), "nothing is left behind");

        Map<String, Object> update = new java.util.LinkedHashMap<>(Map.of("client_id", c2.get("client_id"), "redirect_uris", List.of(relay)));
        HttpResponse<String> updated = put((String) c2.get("registration_client_uri"), (String) c2.get("registration_access_token"), Json.write(update));
        assertEquals(400, updated.statusCode(), updated.body());
        assertEquals("invalid_redirect_uri", Json.object(updated.body()).get("error"));

        int otherPort = java.net.URI.create(stack.keycloak.baseUrl()).getPort() + 1;
        HttpResponse<String> nativeClient = http.postJson(endpoint(), Json.write(Map.of("redirect_uris",
                List.of("http://127.0.0.1:" + otherPort + "/callback", "http://localhost/callback"))));
        assertEquals(201, nativeClient.statusCode(), "a native client's loopback port is not Keycloak's: " + nativeClient.body());
    }

    @Test
    void theRealmsFrontendUrlIsKeycloaksOwnOriginToo() {
        // The console saves a realm's attributes as a whole: keep the others.
        Map<String, Object> attributes = new java.util.HashMap<>(admin.realm().toRepresentation().getAttributes());
        Map<String, Object> withFrontendUrl = new java.util.HashMap<>(attributes);
        withFrontendUrl.put("frontendUrl", "https://sso.example.test");
        admin.updateRealm(McpStack.REALM, Map.of("attributes", withFrontendUrl));
        try {
            HttpResponse<String> refused = http.postJson(endpoint(), Json.write(Map.of("redirect_uris",
                    List.of("https://sso.example.test/realms/mcp/account"))));
            assertEquals(400, refused.statusCode(), refused.body());
            assertEquals("invalid_redirect_uri", Json.object(refused.body()).get("error"));
            assertTrue(((String) Json.object(refused.body()).get("error_description")).contains("https://sso.example.test"), refused.body());
        } finally {
            admin.updateRealm(McpStack.REALM, Map.of("attributes", attributes));
        }
        HttpResponse<String> accepted = http.postJson(endpoint(), Json.write(Map.of("redirect_uris", List.of("https://sso.example.test/cb"))));
        assertEquals(201, accepted.statusCode(), "another site once the realm's frontend URL is gone: " + accepted.body());
    }
}
