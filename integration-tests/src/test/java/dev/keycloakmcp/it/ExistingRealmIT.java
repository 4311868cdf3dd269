package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RequiredActionProviderRepresentation;
import org.keycloak.util.JsonSerialization;

import dev.keycloakmcp.it.fixtures.ClientDocuments;
import dev.keycloakmcp.it.pages.HttpConsentPage;
import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.InstallScript;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.RunningKeycloak;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.McpToolCalls;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.it.support.RealmAdmin;
import dev.keycloakmcp.sample.McpSampleServer;

/**
 * Adding MCP to a realm that already exists, with users, clients and an identity provider of its own, by the
 * additive install script {@code realm-config/add-mcp-to-realm.sh} (admin REST API): what was there stays, and
 * the whole MCP flow works in that realm afterwards.
 */
@McpStackTest
class ExistingRealmIT {

    static final String REALM = "acme";
    static final String SERVER_SECRET = "test-only-acme-mcp-server-secret";

    private static McpStack stack;

    @BeforeAll
    static void existingRealm() {
        stack.admin.createRealm(Map.of("realm", REALM, "enabled", true, "displayName", "ACME",
                "attributes", Map.of("frontendUrl", stack.keycloak.baseUrl(), "acme.custom", "kept"),
                "users", List.of(Map.of("username", "dave", "enabled", true, "email", "dave@acme.example", "emailVerified", true,
                        "firstName", "Dave", "lastName", "Acme",
                        "credentials", List.of(Map.of("type", "password", "value", "dave", "temporary", false)))),
                "clients", List.of(Map.of("clientId", "acme-portal", "enabled", true, "publicClient", false, "secret", "test-only-portal",
                        "redirectUris", List.of("https://portal.acme.example/*"))),
                "identityProviders", List.of(Map.of("alias", "legacy-sso", "providerId", "oidc", "enabled", true,
                        "config", Map.of("authorizationUrl", "https://legacy.acme.example/auth", "tokenUrl", "https://legacy.acme.example/token",
                                "clientId", "acme", "clientSecret", "test-only-legacy", "clientAuthMethod", "client_secret_post")))));
    }

    private static String install(String resource) {
        return InstallScript.run(stack.keycloak, REALM, resource, Map.of("MCP_SERVER_NAME", "ACME tools", "MCP_SERVER_SECRET", SERVER_SECRET)).output();
    }

    private static Set<String> usernames(RealmResource realm) {
        Set<String> names = new TreeSet<>();
        realm.users().list(0, 1000).forEach(user -> names.add(user.getUsername()));
        return names;
    }

    private static Set<String> clientIds(RealmResource realm) {
        Set<String> names = new TreeSet<>();
        realm.clients().findAll(null, null, null, 0, 1000).forEach(client -> names.add(client.getClientId()));
        return names;
    }

    /** A representation as its JSON members, to compare before and after. */
    private static Map<?, ?> members(Object representation) {
        return JsonSerialization.mapper.convertValue(representation, Map.class);
    }

    @Test
    void scriptAddsMcpAndKeepsWhatWasThere() throws Exception {
        RealmResource acme = stack.admin.realm(REALM);
        Set<String> usersBefore = usernames(acme);
        Set<String> clientsBefore = clientIds(acme);
        Map<?, ?> idpBefore = members(acme.identityProviders().get("legacy-sso").toRepresentation());
        Map<?, ?> portalBefore = members(acme.clients().findByClientId("acme-portal").get(0));
        Map<String, String> attributesBefore = acme.toRepresentation().getAttributes();
        int port = KeycloakDistribution.freePort();
        String resource = "http://localhost:" + port + "/mcp";

        String firstRun = install(resource);
        assertTrue(firstRun.contains("MCP server " + resource + ": registered"), firstRun);
        assertTrue(firstRun.contains("required action mcp-offline-access-fallback: registered"), firstRun);
        String secondRun = install(resource);
        assertTrue(secondRun.contains("already registered") && secondRun.contains("client scope mcp:tools: already there"), secondRun);

        // What the realm had is untouched; the MCP server is the one new client.
        assertEquals(usersBefore, usernames(acme));
        Set<String> expectedClients = new TreeSet<>(clientsBefore);
        expectedClients.add(resource);
        assertEquals(expectedClients, clientIds(acme));
        assertEquals(idpBefore, members(acme.identityProviders().get("legacy-sso").toRepresentation()));
        assertEquals(portalBefore, members(acme.clients().findByClientId("acme-portal").get(0)));
        RealmRepresentation realm = acme.toRepresentation();
        assertEquals("mcp", realm.getLoginTheme());
        Map<String, String> expectedAttributes = new HashMap<>(attributesBefore);
        expectedAttributes.put("mcp.enabled", "true");
        assertEquals(expectedAttributes, realm.getAttributes(), "the realm's own attributes (frontendUrl...) are kept");
        assertTrue(realm.getEventsListeners().containsAll(List.of("jboss-logging", "mcp-client-usage")));

        // MCP metadata and registration in that realm; the stock endpoint stays closed to anonymous callers.
        String issuer = stack.keycloak.issuer(REALM);
        Map<String, Object> metadata = Json.object(new Http().get(RunningKeycloak.metadataUrl(stack.keycloak, REALM)).body());
        assertEquals(issuer + "/clients-registrations/mcp", metadata.get("registration_endpoint"));
        assertEquals(List.of("S256"), metadata.get("code_challenge_methods_supported"));
        HttpResponse<String> stock = new Http().postJson(issuer + "/clients-registrations/openid-connect",
                Json.write(Map.of("redirect_uris", List.of(McpOAuthClient.REDIRECT_URI))));
        assertEquals(403, stock.statusCode(), stock::body);

        McpOAuthClient client = McpOAuthClient.register(metadata, McpOAuthClient.typicalRegistration("ACME MCP client"));
        String token = (String) client.tokensFor(resource, "dave", "dave").get("access_token");
        assertTrue(AccessTokens.audience(token).contains(resource), () -> "aud: " + AccessTokens.audience(token));
        // The self-registered client is asked for consent again (the script registered the required action).
        HttpResponse<String> again = client.http.followWithinServer(client.authorize(client.authorizationRequest(Pkce.create(), resource)));
        assertTrue(new HttpConsentPage(client.http, again).unverifiedNotice() != null);

        // dave came with the realm, without its default roles: asked for offline_access (as MCP 2026-07-28 clients ask when
        // the metadata lists it), he gets an ordinary refresh token rather than a failed code exchange.
        assertTrue(((List<?>) metadata.get("scopes_supported")).contains("offline_access"));
        Pkce offlinePkce = Pkce.create();
        Map<String, String> offlineRequest = client.authorizationRequest(offlinePkce, resource);
        offlineRequest.put("scope", "mcp:tools offline_access");
        HttpResponse<String> offlineConsent = client.http.followWithinServer(client.authorize(offlineRequest));
        HttpResponse<String> offlineTokens = client.exchange(client.code(new HttpConsentPage(client.http, offlineConsent).allow(),
                offlineRequest.get("state")), offlinePkce.verifier(), resource);
        assertEquals(200, offlineTokens.statusCode(), offlineTokens::body);
        assertEquals("Refresh", AccessTokens.claims((String) Json.object(offlineTokens.body()).get("refresh_token")).get("typ"));

        // Client ID Metadata Documents are on there too (the script's policy brought its client storage component).
        assertEquals(Boolean.TRUE, metadata.get("client_id_metadata_document_supported"));
        String documentUrl = stack.documents.publish(ClientDocuments.vsCode().document());
        McpOAuthClient fromDocument = McpOAuthClient.identifiedByDocument(metadata, documentUrl, "http://127.0.0.1:33418/");
        String documentToken = (String) fromDocument.tokensFor(resource, "dave", "dave").get("access_token");
        assertEquals(documentUrl, AccessTokens.claims(documentToken).get("azp"));

        Map<String, String> settings = new HashMap<>(Map.of("MCP_ISSUER", issuer, "MCP_RESOURCE", resource, "MCP_PORT", String.valueOf(port),
                "MCP_CLIENT_SECRET", SERVER_SECRET));
        try (McpSampleServer server = McpSampleServer.start(dev.keycloakmcp.sample.SampleServerConfig.fromEnvironment(new String[0], settings))) {
            assertEquals("dave", McpToolCalls.callText(resource, token, "whoami", Map.of()));
        }
    }

    @Test
    void realmsSwitchedToMcpGetConsentOnEveryAuthorization() {
        RealmAdmin admin = stack.admin;
        admin.createRealm(Map.of("realm", "beta", "enabled", true, "components", Map.of(
                "org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy", List.of(Map.of("name", "MCP clients",
                        "providerId", "mcp-client-registration", "subType", "anonymous", "config", Map.of())))));
        assertTrue(requiredActions(admin, "beta").stream().noneMatch("mcp-consent-every-time"::equals), "not an MCP realm yet");

        // Switched on later in Realm settings: the first MCP registration adds it (Keycloak announces no such change).
        admin.updateRealm("beta", Map.of("attributes", Map.of("mcp.enabled", "true")));
        Map<String, Object> metadata = Json.object(new Http().get(stack.keycloak.issuer("beta") + "/.well-known/openid-configuration").body());
        McpOAuthClient.register(metadata, McpOAuthClient.typicalRegistration("Beta MCP client"));
        assertTrue(requiredActions(admin, "beta").containsAll(List.of("mcp-consent-every-time", "mcp-offline-access-fallback")));

        admin.createRealm(Map.of("realm", "gamma", "enabled", true, "attributes", Map.of("mcp.enabled", "true")));
        assertTrue(requiredActions(admin, "gamma").containsAll(List.of("mcp-consent-every-time", "mcp-offline-access-fallback")),
                "created as an MCP realm");

        // offline_access is advertised while the realm gives new clients that scope; an admin who removes it stops that.
        String metadataUrl = RunningKeycloak.metadataUrl(stack.keycloak, "gamma");
        assertTrue(((List<?>) Json.object(new Http().get(metadataUrl).body()).get("scopes_supported")).contains("offline_access"));
        String offlineScope = admin.realm("gamma").clientScopes().findAll().stream()
                .filter(scope -> "offline_access".equals(scope.getName())).findFirst().orElseThrow().getId();
        // 204, or the admin client throws.
        admin.realm("gamma").removeDefaultOptionalClientScope(offlineScope);
        List<?> scopes = (List<?>) Json.object(new Http().get(metadataUrl).body()).get("scopes_supported");
        assertTrue(!scopes.contains("offline_access") && scopes.contains("openid"), scopes::toString);
    }

    private static List<String> requiredActions(RealmAdmin admin, String realm) {
        return admin.realm(realm).flows().getRequiredActions().stream()
                .filter(RequiredActionProviderRepresentation::isEnabled).map(RequiredActionProviderRepresentation::getAlias).toList();
    }
}
