package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import dev.keycloakmcp.it.fixtures.ClientDocuments;
import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Compat;
import dev.keycloakmcp.it.support.LocalEnterpriseIdp;
import dev.keycloakmcp.it.support.LocalEnterpriseIdp.Assertion;
import dev.keycloakmcp.it.support.LocalEnterpriseIdp.Key;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.McpToolCalls;
import dev.keycloakmcp.it.support.NodeClientProcess;
import dev.keycloakmcp.it.support.NodeClientProcess.Output;
import dev.keycloakmcp.it.support.PinnedClients;
import dev.keycloakmcp.it.support.RealmAdmin;

/**
 * Enterprise-managed authorization (SEP-990): an MCP client holding an ID-JAG from the enterprise IdP the admin trusts
 * (a Keycloak {@code oidc} identity provider marked trusted through the pack's admin API) gets a token for the MCP
 * server at the realm's token endpoint with the jwt-bearer grant, no browser; the MCP server's whoami answers the user
 * linked to the IdP's subject. Every hostile assertion gets a clear OAuth error, never a 5xx, and leaves nothing behind.
 * The IdP is {@link LocalEnterpriseIdp}, in this JVM: Keycloak 26.7.3 cannot issue ID-JAGs (its token exchange has no
 * {@code id-jag} token type), so a second realm cannot play the IdP.
 */
@McpStackTest
class EnterpriseAuthorizationIT {

    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final String ID_JAG_PROFILE = "urn:ietf:params:oauth:grant-profile:id-jag";
    static final String ALIAS = "idjag-corp";
    static final String UNTRUSTED_ALIAS = "idjag-untrusted";
    static final String CLIENT = "idjag-agent";
    static final String SECRET = "test-only-idjag-secret";
    static final String ALICE_SUB = "00u-alice";
    static final String DISABLED_SUB = "00u-disabled";
    static final String DISABLED_USER = "idjag-disabled";
    static final String UNFINISHED_SUB = "00u-unfinished";
    static final String UNFINISHED_USER = "idjag-unfinished";
    static final String VERIFIED_USER = "idjag-erin";
    static final String UNVERIFIED_USER = "idjag-frank";
    static final Duration CLIENT_WAIT = Duration.ofMinutes(2);

    private static McpStack stack;
    private static RealmAdmin admin;
    private static LocalEnterpriseIdp idp;
    private static String tokenEndpoint;
    private static String trustApi;
    private static String aliceId;
    private static String otherServer;
    private static McpOAuthClient publicClient;
    private static final List<String> createdUsers = new java.util.ArrayList<>();
    private static final List<String> createdClients = new java.util.ArrayList<>();

    @BeforeAll
    static void trustTheEnterpriseIdp() {
        admin = stack.admin;
        idp = LocalEnterpriseIdp.start();
        tokenEndpoint = stack.issuer() + "/protocol/openid-connect/token";
        trustApi = stack.keycloak.baseUrl() + "/admin/realms/" + RealmAdmin.REALM + "/mcp/enterprise-idps";
        admin.createIdentityProvider(identityProvider(ALIAS, idp.issuer()));
        // Same keys, another issuer: exists in the realm, but the admin never trusts it for ID-JAGs.
        admin.createIdentityProvider(identityProvider(UNTRUSTED_ALIAS, idp.issuer() + "/untrusted"));
        HttpResponse<String> trusted = trust(ALIAS, Map.of());
        assertEquals(200, trusted.statusCode(), trusted.body());

        aliceId = admin.realm().users().searchByUsername("alice", true).get(0).getId();
        link(aliceId, ALICE_SUB, "alice");
        String disabled = createUser(DISABLED_USER, DISABLED_USER + "@corp.example", true, false);
        link(disabled, DISABLED_SUB, DISABLED_USER);
        String unfinished = createUser(UNFINISHED_USER, UNFINISHED_USER + "@corp.example", true, true);
        UserRepresentation withAction = admin.realm().users().get(unfinished).toRepresentation();
        withAction.setRequiredActions(List.of("UPDATE_PASSWORD"));
        admin.realm().users().get(unfinished).update(withAction);
        link(unfinished, UNFINISHED_SUB, UNFINISHED_USER);
        createUser(VERIFIED_USER, VERIFIED_USER + "@corp.example", true, true);
        createUser(UNVERIFIED_USER, UNVERIFIED_USER + "@corp.example", false, true);

        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(CLIENT);
        client.setName("ID-JAG agent (pre-registered)");
        client.setPublicClient(false);
        client.setSecret(SECRET);
        client.setStandardFlowEnabled(false);
        client.setDirectAccessGrantsEnabled(false);
        client.setServiceAccountsEnabled(false);
        client.setDefaultClientScopes(List.of("mcp-audience"));
        client.setOptionalClientScopes(List.of("mcp:tools", "mcp:tools:write"));
        admin.realm().clients().create(client).close();
        createdClients.add(CLIENT);

        publicClient = McpOAuthClient.register(stack, "ID-JAG public client " + UUID.randomUUID());
        createdClients.add(publicClient.clientId);

        otherServer = "https://idjag-other.example.com/mcp";
        admin.registerMcpServer(otherServer);
        createdClients.add(otherServer);
    }

    @AfterAll
    static void leaveTheRealmAsItWas() {
        // The suite's realm is shared: DiscoveryIT expects no jwt-bearer grant while no IdP is trusted.
        try {
            if (admin != null) {
                send("DELETE", trustApi + "/" + ALIAS, null, admin.accessToken());
                if (aliceId != null) {
                    admin.realm().users().get(aliceId).removeFederatedIdentity(ALIAS);
                }
                for (String alias : List.of(ALIAS, UNTRUSTED_ALIAS)) {
                    admin.realm().identityProviders().findAll().stream().filter(p -> alias.equals(p.getAlias()))
                            .findFirst().ifPresent(p -> admin.deleteIdentityProvider(alias));
                }
                for (String username : createdUsers) {
                    admin.realm().users().searchByUsername(username, true).forEach(u -> admin.realm().users().delete(u.getId()).close());
                }
                for (String clientId : createdClients) {
                    admin.client(clientId).ifPresent(c -> admin.realm().clients().get(c.getId()).remove());
                }
            }
        } finally {
            if (idp != null) {
                idp.close();
            }
        }
    }

    // ---- the happy path ------------------------------------------------------------------------------------

    @Compat
    @Test
    void aConfidentialClientGetsATokenForTheMcpServerAndWhoamiAnswersTheLinkedUser() {
        HttpResponse<String> response = grant(aliceJag("mcp:tools").serialize(), Map.of("scope", "mcp:tools"));
        String accessToken = assertIssued(response, CLIENT);
        assertTrue(scopes(accessToken).contains("mcp:tools"), AccessTokens.claims(accessToken)::toString);
        assertTrue(List.of(String.valueOf(Json.object(response.body()).get("scope")).split(" ")).contains("mcp:tools"),
                "the response says what was granted: " + response.body());
        assertEquals("alice", McpToolCalls.callText(stack.mcpUrl(), accessToken, "whoami", Map.of()));
    }

    static Stream<Arguments> acceptedAssertions() {
        return Stream.of(
                accepted("RS256 with the IdP's RSA key", a -> a, Map.of()),
                accepted("ES256 with the IdP's EC key", a -> a.signedWith("ES256", Key.EC), Map.of()),
                accepted("aud an array holding the realm's issuer", a -> a.claim("aud", List.of(stack.issuer(), "https://other.example.com")),
                        Map.of()),
                accepted("a resource parameter equal to the assertion's", a -> a, Map.of("resource", "SAMPLE")),
                accepted("a lifetime of 30 s", a -> a.claim("exp", ((Number) a.claim("iat")).longValue() + 30), Map.of()));
    }

    private static Arguments accepted(String name, UnaryOperator<Assertion> change, Map<String, String> form) {
        return Arguments.of(name, change, form);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedAssertions")
    void acceptedVariants(String name, UnaryOperator<Assertion> change, Map<String, String> form) {
        Map<String, String> request = new LinkedHashMap<>(form);
        request.replaceAll((key, value) -> value.replace("SAMPLE", stack.mcpUrl()));
        assertIssued(grant(change.apply(aliceJag("mcp:tools")).serialize(), request), CLIENT);
    }

    static Stream<Arguments> scopeIntersections() {
        return Stream.of(
                Arguments.of("requested more than asserted: trimmed", "mcp:tools", "mcp:tools mcp:tools:write", List.of("mcp:tools"),
                        List.of("mcp:tools:write")),
                Arguments.of("asserted more than requested: only the requested", "mcp:tools mcp:tools:write", "mcp:tools", List.of("mcp:tools"),
                        List.of("mcp:tools:write")),
                Arguments.of("nothing requested: the asserted ones", "mcp:tools mcp:tools:write", null, List.of("mcp:tools", "mcp:tools:write"),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scopeIntersections")
    void scopesAreTheIntersectionOfRequestedAndAsserted(String name, String asserted, String requested, List<String> granted, List<String> notGranted) {
        Map<String, String> form = requested == null ? Map.of() : Map.of("scope", requested);
        HttpResponse<String> response = grant(aliceJag(asserted).serialize(), form);
        String accessToken = assertIssued(response, CLIENT);
        List<String> inToken = scopes(accessToken);
        List<String> inResponse = List.of(String.valueOf(Json.object(response.body()).get("scope")).split(" "));
        assertTrue(inToken.containsAll(granted), () -> "token scope " + inToken);
        assertTrue(inResponse.containsAll(granted), () -> "response scope " + inResponse);
        for (String scope : notGranted) {
            assertFalse(inToken.contains(scope), () -> "token scope " + inToken);
            assertFalse(inResponse.contains(scope), () -> "response scope " + inResponse);
        }
    }

    @Compat
    @Test
    void aReplayedAssertionIsRefused() {
        String assertion = aliceJag("mcp:tools").serialize();
        assertIssued(grant(assertion, Map.of()), CLIENT);
        assertRefused(grant(assertion, Map.of()), 400, "invalid_grant");
    }

    @Test
    void anUnsignedAssertionCannotBurnTheJtiOfAValidOne() {
        Assertion valid = aliceJag("mcp:tools");
        String jti = (String) valid.claim("jti");
        assertRefused(grant(aliceJag("mcp:tools").claim("jti", jti).signedWith("none", Key.RSA).serialize(), Map.of()), 400, "invalid_grant");
        assertRefused(grant(aliceJag("mcp:tools").claim("jti", jti).signedWith("RS256", Key.OUTSIDER).serialize(), Map.of()), 400,
                "invalid_grant");
        assertIssued(grant(valid.serialize(), Map.of()), CLIENT);
    }

    // ---- hostile assertions and requests ---------------------------------------------------------------------

    /** A request the grant must refuse: what the IdP (or an attacker) signed, how it is sent, what the client sees. */
    record Hostile(String name, UnaryOperator<Assertion> assertion, Function<String, HttpResponse<String>> request, int status, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Hostile refused(String name, UnaryOperator<Assertion> assertion, String error) {
        return new Hostile(name, assertion, jag -> grant(jag, Map.of()), 400, error);
    }

    private static Hostile refusedRequest(String name, Function<String, HttpResponse<String>> request, int status, String error) {
        return new Hostile(name, a -> a, request, status, error);
    }

    static Stream<Hostile> hostile() {
        long now = Instant.now().getEpochSecond();
        return Stream.of(
                refusedRequest("no assertion", jag -> postForm(Map.of("grant_type", JWT_BEARER), basic(CLIENT, SECRET)), 400, "invalid_request"),
                refusedRequest("two assertions", jag -> postRaw("grant_type=" + Http.enc(JWT_BEARER) + "&assertion=" + jag + "&assertion=" + jag,
                        basic(CLIENT, SECRET)), 400, "invalid_request"),
                refusedRequest("not a JWS", jag -> grant("not-a-jwt", Map.of()), 400, "invalid_grant"),
                refusedRequest("three dots of garbage", jag -> grant("e30.e30.AAAA", Map.of()), 400, "invalid_grant"),
                refused("typ missing", a -> a.type(null), "invalid_grant"),
                refused("typ JWT", a -> a.type("JWT"), "invalid_grant"),
                refused("typ of an ID token's cousin (at+jwt)", a -> a.type("at+jwt"), "invalid_grant"),
                refused("alg none", a -> a.signedWith("none", Key.RSA), "invalid_grant"),
                refused("HS256 with the IdP's public key as secret", a -> a.signedWith("HS256", Key.RSA), "invalid_grant"),
                refused("PS256, not in the IdP's allow-list", a -> a.signedWith("PS256", Key.RSA), "invalid_grant"),
                refused("signed by another key claiming the IdP's kid", a -> a.signedWith("RS256", Key.OUTSIDER), "invalid_grant"),
                refused("unknown kid", a -> a.signedWith("RS256", Key.OUTSIDER).kid("no-such-key"), "invalid_grant"),
                refused("EC signature under the RSA key's kid", a -> a.signedWith("ES256", Key.EC).kid("idp-rsa"), "invalid_grant"),
                refused("issuer of an identity provider that is not trusted", a -> a.claim("iss", idp.issuer() + "/untrusted"), "invalid_grant"),
                refused("issuer nobody configured", a -> a.claim("iss", "https://idp.unknown.example.com"), "invalid_grant"),
                refused("aud another realm", a -> a.claim("aud", stack.keycloak.issuer("master")), "invalid_grant"),
                refused("aud the MCP server instead of its authorization server", a -> a.claim("aud", stack.mcpUrl()), "invalid_grant"),
                refused("expired (beyond the skew)", a -> a.claim("iat", now - 300).claim("exp", now - 120), "invalid_grant"),
                refused("iat in the future (beyond the skew)", a -> a.claim("iat", now + 120).claim("exp", now + 300), "invalid_grant"),
                refused("exp - iat longer than the IdP's maximum", a -> a.claim("iat", now).claim("exp", now + 3600), "invalid_grant"),
                refused("times that would overflow exp - iat", a -> a.claim("iat", -4_611_686_018_427_387_905L).claim("exp", 4_611_686_018_427_387_904L),
                        "invalid_grant"),
                refused("no exp", a -> a.without("exp"), "invalid_grant"),
                refused("no iat", a -> a.without("iat"), "invalid_grant"),
                refused("no jti", a -> a.without("jti"), "invalid_grant"),
                refused("no sub", a -> a.without("sub"), "invalid_grant"),
                refused("client_id another client", a -> a.claim("client_id", "demo-agent"), "invalid_grant"),
                refused("no client_id", a -> a.without("client_id"), "invalid_grant"),
                refused("no resource", a -> a.without("resource"), "invalid_grant"),
                refused("resource not a registered MCP server", a -> a.claim("resource", "https://unknown.example.com/mcp"), "invalid_grant"),
                refused("resource a client that is not an MCP server", a -> a.claim("resource", "account"), "invalid_grant"),
                new Hostile("resource parameter another MCP server than the assertion's", a -> a,
                        jag -> grant(jag, Map.of("resource", otherServer)), 400, "invalid_target"),
                new Hostile("requested scope disjoint from the asserted", a -> a.claim("scope", "mcp:tools"),
                        jag -> grant(jag, Map.of("scope", "mcp:tools:write")), 400, "invalid_scope"),
                refused("sub linked to nobody", a -> a.claim("sub", "00u-nobody-" + UUID.randomUUID()), "invalid_grant"),
                refused("sub linked to a disabled user", a -> a.claim("sub", DISABLED_SUB), "invalid_grant"),
                refused("sub linked to a user with an action to take first", a -> a.claim("sub", UNFINISHED_SUB), "invalid_grant"),
                refused("unlinked, email of a verified user, fallback off", a -> a.claim("sub", "00u-erin").claim("email",
                        VERIFIED_USER + "@corp.example").claim("email_verified", true), "invalid_grant"),
                new Hostile("a public client while the IdP allows none", a -> a.claim("client_id", publicClient.clientId),
                        jag -> postForm(Map.of("grant_type", JWT_BEARER, "assertion", jag, "client_id", publicClient.clientId)), 400,
                        "unauthorized_client"),
                // Keycloak's own client authentication answers, before the grant runs.
                refusedRequest("wrong client secret", jag -> postForm(Map.of("grant_type", JWT_BEARER, "assertion", jag),
                        basic(CLIENT, "wrong-secret")), 401, "unauthorized_client"));
    }

    @Compat
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostileRequestsAreRefusedAndLeaveNothingBehind(Hostile hostile) {
        int users = admin.realm().users().count();
        int aliceSessions = admin.realm().users().get(aliceId).getUserSessions().size();
        String jag = hostile.assertion().apply(aliceJag("mcp:tools")).serialize();
        assertRefused(hostile.request().apply(jag), hostile.status(), hostile.error());
        assertEquals(users, admin.realm().users().count(), "no user created");
        assertEquals(aliceSessions, admin.realm().users().get(aliceId).getUserSessions().size(), "no session for alice");
    }

    // ---- public clients ----------------------------------------------------------------------------------

    @Test
    void aSelfRegisteredPublicClientOnlyWhenTheIdpAllowsPublicClients() {
        String jag = aliceJag("mcp:tools").claim("client_id", publicClient.clientId).serialize();
        assertRefused(publicGrant(jag), 400, "unauthorized_client");
        assertEquals(200, trust(ALIAS, Map.of("publicClients", true)).statusCode());
        try {
            String accessToken = assertIssued(publicGrant(aliceJag("mcp:tools").claim("client_id", publicClient.clientId).serialize()),
                    publicClient.clientId);
            assertEquals("alice", McpToolCalls.callText(stack.mcpUrl(), accessToken, "whoami", Map.of()));
            // The realm's own public applications are not MCP clients: no grant for them, even with public clients on.
            assertRefused(postForm(Map.of("grant_type", JWT_BEARER, "client_id", "account-console", "assertion",
                    aliceJag("mcp:tools").claim("client_id", "account-console").serialize())), 400, "unauthorized_client");
        } finally {
            assertEquals(200, trust(ALIAS, Map.of()).statusCode());
        }
    }

    /**
     * A metadata-document client that never signed a user in here has no client yet: the token endpoint fetches its
     * document only for an ID-JAG a trusted IdP signed for that very client_id, and only where the IdP takes public
     * clients (document clients are public).
     */
    @Test
    void aMetadataDocumentClientSeenForTheFirstTimeAtTheTokenEndpoint() {
        String url = stack.documents.publish(ClientDocuments.claude().document());
        createdClients.add(url);
        UnaryOperator<Assertion> forTheDocument = a -> a.claim("client_id", url);
        Map<String, String> form = Map.of("grant_type", JWT_BEARER, "client_id", url);

        Map<String, String> refused = new LinkedHashMap<>(form);
        refused.put("assertion", forTheDocument.apply(aliceJag("mcp:tools")).serialize());
        assertRefused(postForm(refused), 401, "invalid_client");
        assertTrue(admin.client(url).isEmpty(), "no client while the IdP takes no public clients");

        assertEquals(200, trust(ALIAS, Map.of("publicClients", true)).statusCode());
        try {
            Map<String, String> forged = new LinkedHashMap<>(form);
            forged.put("assertion", forTheDocument.apply(aliceJag("mcp:tools")).signedWith("RS256", Key.OUTSIDER).serialize());
            assertRefused(postForm(forged), 401, "invalid_client");
            Map<String, String> otherClient = new LinkedHashMap<>(form);
            otherClient.put("assertion", aliceJag("mcp:tools").serialize());
            assertRefused(postForm(otherClient), 401, "invalid_client");
            assertTrue(admin.client(url).isEmpty(), "no client for an assertion the IdP did not sign for it");
            assertEquals(0, stack.documents.fetches(URI.create(url).getRawPath()), "nothing fetched for strangers");

            Map<String, String> vouched = new LinkedHashMap<>(form);
            vouched.put("assertion", forTheDocument.apply(aliceJag("mcp:tools")).serialize());
            String accessToken = assertIssued(postForm(vouched), url);
            assertEquals("alice", McpToolCalls.callText(stack.mcpUrl(), accessToken, "whoami", Map.of()));
            assertEquals("metadata-document", admin.client(url).orElseThrow().getAttributes().get("mcp.client"));
        } finally {
            assertEquals(200, trust(ALIAS, Map.of()).statusCode());
        }
    }

    // ---- email fallback ----------------------------------------------------------------------------------

    @Test
    void emailFallbackFindsAVerifiedEmailOnlyWhenAllowedAndLinksNothing() {
        String erin = admin.realm().users().searchByUsername(VERIFIED_USER, true).get(0).getId();
        UnaryOperator<Assertion> erinAtTheIdp = a -> a.claim("sub", "00u-erin").claim("email", VERIFIED_USER + "@corp.example")
                .claim("email_verified", true);
        UnaryOperator<Assertion> frankAtTheIdp = a -> a.claim("sub", "00u-frank").claim("email", UNVERIFIED_USER + "@corp.example")
                .claim("email_verified", true);
        assertRefused(grant(erinAtTheIdp.apply(aliceJag("mcp:tools")).serialize(), Map.of()), 400, "invalid_grant");

        assertEquals(200, trust(ALIAS, Map.of("emailFallback", true)).statusCode());
        try {
            String accessToken = assertIssued(grant(erinAtTheIdp.apply(aliceJag("mcp:tools")).serialize(), Map.of()), CLIENT, erin);
            assertEquals(VERIFIED_USER, McpToolCalls.callText(stack.mcpUrl(), accessToken, "whoami", Map.of()));
            assertTrue(admin.realm().users().get(erin).getFederatedIdentity().isEmpty(), "no link is created");

            assertRefused(grant(frankAtTheIdp.apply(aliceJag("mcp:tools")).serialize(), Map.of()), 400, "invalid_grant");
            assertRefused(grant(erinAtTheIdp.apply(aliceJag("mcp:tools")).claim("email_verified", false).serialize(), Map.of()), 400,
                    "invalid_grant");
            assertRefused(grant(erinAtTheIdp.apply(aliceJag("mcp:tools")).without("email_verified").serialize(), Map.of()), 400,
                    "invalid_grant");
            // Another account at the same IdP cannot claim a user already linked to it by that user's email.
            UserRepresentation alice = admin.realm().users().get(aliceId).toRepresentation();
            assertTrue(Boolean.TRUE.equals(alice.isEmailVerified()) && alice.getEmail() != null, "alice has a verified email");
            assertRefused(grant(aliceJag("mcp:tools").claim("sub", "00u-mallory").claim("email", alice.getEmail()).claim("email_verified", true)
                    .serialize(), Map.of()), 400, "invalid_grant");
        } finally {
            assertEquals(200, trust(ALIAS, Map.of()).statusCode());
        }
    }

    /** Where the realm allows duplicate emails, an email names nobody: no fallback, and an OAuth error, not Keycloak's 409. */
    @Test
    void noEmailFallbackWhereEmailsMayRepeat() {
        RealmRepresentation realm = admin.realm().toRepresentation();
        Boolean duplicates = realm.isDuplicateEmailsAllowed();
        Boolean loginWithEmail = realm.isLoginWithEmailAllowed();
        realm.setLoginWithEmailAllowed(false);
        realm.setDuplicateEmailsAllowed(true);
        admin.realm().update(realm);
        String email = "idjag-twice-" + UUID.randomUUID().toString().substring(0, 8) + "@corp.example";
        try {
            createUser("idjag-twice-a", email, true, true);
            createUser("idjag-twice-b", email, true, true);
            assertEquals(200, trust(ALIAS, Map.of("emailFallback", true)).statusCode());
            assertRefused(grant(aliceJag("mcp:tools").claim("sub", "00u-twice").claim("email", email).claim("email_verified", true).serialize(),
                    Map.of()), 400, "invalid_grant");
        } finally {
            assertEquals(200, trust(ALIAS, Map.of()).statusCode());
            for (String username : List.of("idjag-twice-a", "idjag-twice-b")) {
                admin.realm().users().searchByUsername(username, true).forEach(u -> admin.realm().users().delete(u.getId()).close());
            }
            RealmRepresentation back = admin.realm().toRepresentation();
            back.setDuplicateEmailsAllowed(duplicates);
            back.setLoginWithEmailAllowed(loginWithEmail);
            admin.realm().update(back);
        }
    }

    // ---- metadata ----------------------------------------------------------------------------------------

    @Test
    void metadataAdvertisesTheGrantAndProfileOnlyWhileAnIdpIsTrusted() {
        for (String document : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
            Map<String, Object> metadata = metadata(document);
            assertTrue(((List<?>) metadata.get("grant_types_supported")).contains(JWT_BEARER), document + ": " + metadata);
            assertEquals(List.of(ID_JAG_PROFILE), metadata.get("authorization_grant_profiles_supported"), document);
            // The TypeScript SDK's CrossAppAccessProvider picks its client authentication from this list: with only
            // "none" it sends no secret, and a confidential client's jwt-bearer request fails.
            assertTrue(((List<?>) metadata.get("token_endpoint_auth_methods_supported")).contains("client_secret_basic"), document + ": " + metadata);
        }
        assertEquals(204, send("DELETE", trustApi + "/" + ALIAS, null, admin.accessToken()).statusCode());
        try {
            assertTrue(admin.realm().identityProviders().get(ALIAS).toRepresentation() != null, "the IdP itself stays");
            for (String document : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
                Map<String, Object> metadata = metadata(document);
                assertFalse(((List<?>) metadata.get("grant_types_supported")).contains(JWT_BEARER), document + ": " + metadata);
                assertFalse(metadata.containsKey("authorization_grant_profiles_supported"), document + ": " + metadata);
            }
            assertRefused(grant(aliceJag("mcp:tools").serialize(), Map.of()), 400, "invalid_grant");
        } finally {
            assertEquals(200, trust(ALIAS, Map.of()).statusCode());
        }
    }

    // ---- the admin API -----------------------------------------------------------------------------------

    @Test
    void theTrustApiSaysWhatItStored() {
        HttpResponse<String> put = trust(ALIAS, Map.of("algorithms", List.of("ES256"), "maxLifetimeSeconds", 120));
        try {
            assertEquals(200, put.statusCode(), put.body());
            Map<String, Object> view = Json.object(put.body());
            assertEquals(ALIAS, view.get("alias"));
            assertEquals(idp.issuer(), view.get("issuer"));
            assertEquals(idp.jwksUrl(), view.get("jwksUrl"));
            assertEquals(List.of("ES256"), view.get("algorithms"));
            assertEquals(120, ((Number) view.get("maxLifetimeSeconds")).intValue());
            assertEquals(false, view.get("emailFallback"));
            assertEquals(false, view.get("publicClients"));
            HttpResponse<String> listed = new Http().get(trustApi, "Authorization", "Bearer " + admin.accessToken());
            assertEquals(200, listed.statusCode(), listed.body());
            List<Map<String, Object>> views = Json.array(listed.body());
            assertTrue(views.stream().anyMatch(v -> ALIAS.equals(v.get("alias"))), listed::body);
            assertTrue(views.stream().noneMatch(v -> UNTRUSTED_ALIAS.equals(v.get("alias"))), listed::body);
            // The allow-list and the lifetime apply at once.
            assertRefused(grant(aliceJag("mcp:tools").serialize(), Map.of()), 400, "invalid_grant");
            long now = Instant.now().getEpochSecond();
            assertIssued(grant(aliceJag("mcp:tools").signedWith("ES256", Key.EC).claim("iat", now).claim("exp", now + 120).serialize(),
                    Map.of()), CLIENT);
            assertRefused(grant(aliceJag("mcp:tools").signedWith("ES256", Key.EC).claim("iat", now).claim("exp", now + 200).serialize(),
                    Map.of()), 400, "invalid_grant");
        } finally {
            assertEquals(200, trust(ALIAS, Map.of()).statusCode());
        }
    }

    static Stream<Arguments> badTrustRequests() {
        return Stream.of(
                Arguments.of("unknown alias", "idjag-nobody", "{}"),
                Arguments.of("HS256", ALIAS, "{\"algorithms\":[\"HS256\"]}"),
                Arguments.of("none", ALIAS, "{\"algorithms\":[\"none\"]}"),
                Arguments.of("RS256 and none", ALIAS, "{\"algorithms\":[\"RS256\",\"none\"]}"),
                Arguments.of("not a JWS algorithm", ALIAS, "{\"algorithms\":[\"RSA-OAEP\"]}"),
                Arguments.of("lifetime below 10 s", ALIAS, "{\"maxLifetimeSeconds\":5}"),
                Arguments.of("lifetime above an hour", ALIAS, "{\"maxLifetimeSeconds\":3601}"),
                Arguments.of("not JSON", ALIAS, "algorithms=RS256"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTrustRequests")
    void badTrustRequestsChangeNothing(String name, String alias, String body) {
        String before = storedTrust();
        HttpResponse<String> response = send("PUT", trustApi + "/" + alias, body, admin.accessToken());
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("invalid_request", Json.object(response.body()).get("error"), response.body());
        assertEquals(before, storedTrust(), "the realm's trusted IdPs are unchanged");
        assertTrue(before.contains("\"" + ALIAS + "\""), before);
        assertTrue(admin.realm().identityProviders().findAll().stream().noneMatch(p -> "idjag-nobody".equals(p.getAlias())));
    }

    /** A public key typed into the identity provider is refused: Keycloak would cache it with a forged header's algorithm. */
    @Test
    void anIdentityProviderWithATypedInKeyIsNotTrusted() {
        String alias = "idjag-typed-key";
        Map<String, Object> representation = new LinkedHashMap<>(identityProvider(alias, idp.issuer() + "/typed-key"));
        @SuppressWarnings("unchecked")
        Map<String, Object> config = new LinkedHashMap<>((Map<String, Object>) representation.get("config"));
        config.put("useJwksUrl", "false");
        config.remove("jwksUrl");
        config.put("publicKeySignatureVerifier", idp.rsaPublicKeyBase64());
        representation.put("config", config);
        admin.createIdentityProvider(representation);
        try {
            String before = storedTrust();
            HttpResponse<String> response = trust(alias, Map.of());
            assertEquals(400, response.statusCode(), response.body());
            assertTrue(String.valueOf(Json.object(response.body()).get("error_description")).contains("JWKS URL"), response.body());
            assertEquals(before, storedTrust());
        } finally {
            admin.deleteIdentityProvider(alias);
        }
    }

    @Test
    void trustingNeedsManageIdentityProviders() {
        String viewer = "idjag-viewer-" + UUID.randomUUID().toString().substring(0, 8);
        admin.createRealmAdmin(RealmAdmin.REALM, viewer, List.of("view-identity-providers"));
        createdUsers.add(viewer);
        Map<String, Object> tokens = Json.object(new Http().postForm(tokenEndpoint, Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", viewer, "password", viewer)).body());
        String token = (String) tokens.get("access_token");
        assertNotNull(token, tokens::toString);
        String before = storedTrust();
        HttpResponse<String> put = send("PUT", trustApi + "/" + UNTRUSTED_ALIAS, "{}", token);
        assertEquals(403, put.statusCode(), put.body());
        assertEquals(before, storedTrust(), "still not trusted");
        assertFalse(before.contains("\"" + UNTRUSTED_ALIAS + "\""), before);
        assertEquals(403, send("DELETE", trustApi + "/" + ALIAS, null, token).statusCode());
        assertEquals(200, new Http().get(trustApi, "Authorization", "Bearer " + token).statusCode(), "viewing is enough to list");
    }

    // ---- a real client -----------------------------------------------------------------------------------

    @Test
    void theTypeScriptSdksCrossAppAccessProviderGetsATokenWithNoBrowser() throws Exception {
        PinnedClients clients = PinnedClients.installed();
        Path module = clients.node().getParent().getParent().getParent().resolve("@modelcontextprotocol/client/dist/index.mjs");
        String version = clients.version("@modelcontextprotocol/client");
        String idpClient = "chat-app";
        String idpSecret = "test-only-chat-app-secret";
        idp.allowClient(idpClient, idpSecret, CLIENT);
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("MCP_CLIENT_MODULE", module.toString());
        environment.put("MCP_SERVER_URL", stack.mcpUrl());
        environment.put("MCP_EXPECTED_ISSUER", stack.issuer());
        environment.put("MCP_CLIENT_ID", CLIENT);
        environment.put("MCP_CLIENT_SECRET", SECRET);
        environment.put("IDP_TOKEN_ENDPOINT", idp.tokenEndpoint());
        environment.put("IDP_CLIENT_ID", idpClient);
        environment.put("IDP_CLIENT_SECRET", idpSecret);
        environment.put("ID_TOKEN", idp.idToken(ALICE_SUB, "alice@example.com", idpClient));
        try (NodeClientProcess client = NodeClientProcess.start("@modelcontextprotocol/client " + version, clients.node(),
                Path.of("clients/ema-client.mjs").toAbsolutePath(), List.of(), environment)) {
            client.showingOutputOnFailure(() -> {
                Function<String, Function<String, Optional<String>>> after = marker -> line -> line.startsWith(marker)
                        ? Optional.of(line.substring(marker.length())) : Optional.empty();
                Map<String, Object> exchange = Json.object(client.awaitLine(Output.STDOUT, "its token exchange", CLIENT_WAIT, after.apply("EXCHANGE ")));
                assertEquals(stack.issuer(), exchange.get("audience"), "the ID-JAG's audience: the MCP server's authorization server");
                assertEquals(stack.mcpUrl(), exchange.get("resource"));
                Map<String, Object> tokens = Json.object(client.awaitLine(Output.STDOUT, "its tokens", CLIENT_WAIT, after.apply("TOKENS ")));
                assertNull(tokens.get("refresh_token"));
                String accessToken = (String) tokens.get("access_token");
                assertEquals(List.of(stack.mcpUrl()), AccessTokens.audience(accessToken));
                assertEquals(aliceId, AccessTokens.claims(accessToken).get("sub"));
                Map<String, Object> answer = client.awaitLine(Output.STDOUT, "the tool's answer", CLIENT_WAIT,
                        line -> line.startsWith("{\"text\"") ? Optional.of(Json.object(line)) : Optional.empty());
                assertEquals(false, answer.get("isError"), answer::toString);
                assertEquals("alice", answer.get("text"));
                System.out.printf("[EnterpriseAuthorizationIT] @modelcontextprotocol/client %s CrossAppAccessProvider: spawn to whoami in %d ms%n",
                        version, client.sinceStart().toMillis());
            });
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static Map<String, Object> identityProvider(String alias, String issuer) {
        return Map.of("alias", alias, "displayName", "Enterprise IdP " + alias, "providerId", "oidc", "enabled", true,
                "config", Map.ofEntries(
                        Map.entry("issuer", issuer),
                        Map.entry("authorizationUrl", idp.issuer() + "/authorize"),
                        Map.entry("tokenUrl", idp.tokenEndpoint()),
                        Map.entry("jwksUrl", idp.jwksUrl()),
                        Map.entry("useJwksUrl", "true"),
                        Map.entry("validateSignature", "true"),
                        Map.entry("clientId", "keycloak-mcp"),
                        Map.entry("clientSecret", "test-only-unused"),
                        Map.entry("clientAuthMethod", "client_secret_post"),
                        Map.entry("syncMode", "IMPORT")));
    }

    /** An ID-JAG of the trusted IdP for alice, the pre-registered client and the sample MCP server. */
    private static Assertion aliceJag(String scope) {
        return idp.idJag(ALICE_SUB, stack.issuer(), CLIENT, stack.mcpUrl(), scope);
    }

    private static HttpResponse<String> trust(String alias, Map<String, Object> settings) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("algorithms", List.of("RS256", "ES256"), "emailFallback", false,
                "publicClients", false, "maxLifetimeSeconds", 300));
        body.putAll(settings);
        return send("PUT", trustApi + "/" + alias, Json.write(body), admin.accessToken());
    }

    /** The trusted IdPs and their settings as the realm stores them (the realm attribute {@code mcp.id-jag.idps}). */
    private static String storedTrust() {
        Map<String, String> attributes = admin.realm().toRepresentation().getAttributes();
        return attributes == null ? "" : String.valueOf(attributes.getOrDefault("mcp.id-jag.idps", ""));
    }

    private static void link(String userId, String subject, String username) {
        FederatedIdentityRepresentation link = new FederatedIdentityRepresentation();
        link.setIdentityProvider(ALIAS);
        link.setUserId(subject);
        link.setUserName(username);
        try (var response = admin.realm().users().get(userId).addFederatedIdentity(ALIAS, link)) {
            assertTrue(response.getStatus() == 204 || response.getStatus() == 201 || response.getStatus() == 409,
                    () -> "link " + username + ": " + response.getStatus());
        }
    }

    private static String createUser(String username, String email, boolean emailVerified, boolean enabled) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEmail(email);
        user.setEmailVerified(emailVerified);
        user.setEnabled(enabled);
        user.setFirstName(username);
        user.setLastName("Corp");
        admin.realm().users().create(user).close();
        createdUsers.add(username);
        return admin.realm().users().searchByUsername(username, true).get(0).getId();
    }

    private static HttpResponse<String> grant(String assertion, Map<String, String> more) {
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", JWT_BEARER, "assertion", assertion));
        form.putAll(more);
        return postForm(form, basic(CLIENT, SECRET));
    }

    private static HttpResponse<String> publicGrant(String assertion) {
        return postForm(Map.of("grant_type", JWT_BEARER, "assertion", assertion, "client_id", publicClient.clientId));
    }

    private static HttpResponse<String> postForm(Map<String, String> form, String... authorization) {
        return authorization.length == 0 ? new Http().postForm(tokenEndpoint, form)
                : new Http().postForm(tokenEndpoint, form, "Authorization", authorization[0]);
    }

    private static HttpResponse<String> postRaw(String body, String authorization) {
        return new Http().send(Http.request(tokenEndpoint, "Authorization", authorization, "Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> send(String method, String url, String json, String token) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        return new Http().send(Http.request(url, "Authorization", "Bearer " + token, "Content-Type", "application/json", "Accept",
                "application/json").method(method, body).build());
    }

    private static Map<String, Object> metadata(String document) {
        return Json.object(new Http().get(stack.issuer() + document).body());
    }

    private static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((Http.enc(clientId) + ":" + Http.enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> scopes(String accessToken) {
        Object scope = AccessTokens.claims(accessToken).get("scope");
        return scope == null ? List.of() : List.of(((String) scope).split(" "));
    }

    /** A token for the sample MCP server only, for alice, with no refresh token; returns the access token. */
    private static String assertIssued(HttpResponse<String> response, String clientId) {
        return assertIssued(response, clientId, aliceId);
    }

    private static String assertIssued(HttpResponse<String> response, String clientId, String userId) {
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> tokens = Json.object(response.body());
        assertEquals("bearer", String.valueOf(tokens.get("token_type")).toLowerCase(java.util.Locale.ROOT), response.body());
        assertNull(tokens.get("refresh_token"), "no refresh token: " + response.body());
        String accessToken = (String) tokens.get("access_token");
        Map<String, Object> claims = AccessTokens.claims(accessToken);
        assertEquals(List.of(stack.mcpUrl()), AccessTokens.audience(accessToken), "aud is exactly the MCP server: " + claims);
        assertEquals(userId, claims.get("sub"), claims::toString);
        assertEquals(clientId, claims.get("azp"), claims::toString);
        return accessToken;
    }

    private static void assertRefused(HttpResponse<String> response, int status, String error) {
        assertEquals(status, response.statusCode(), response.body());
        Map<String, Object> refusal = Json.object(response.body());
        assertEquals(error, refusal.get("error"), response.body());
        assertNull(refusal.get("access_token"));
    }
}
