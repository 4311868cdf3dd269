package dev.keycloakmcp.it.support;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The few admin REST calls tests and the benchmark need, made as the admin console would make them. */
public final class AdminApi {

    static final String REALM = "mcp";

    private final Http http = new Http();
    private final KeycloakRuntime keycloak;

    public AdminApi(KeycloakRuntime keycloak) {
        this.keycloak = keycloak;
    }

    private String token() {
        HttpResponse<String> response = http.postForm(keycloak.issuer("master") + "/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli",
                        "username", KeycloakDistribution.ADMIN_USERNAME, "password", KeycloakDistribution.ADMIN_PASSWORD));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Admin login failed: " + response.body());
        }
        return (String) Json.object(response.body()).get("access_token");
    }

    private String realmUrl() {
        return keycloak.baseUrl() + "/admin/realms/" + REALM;
    }

    public List<Map<String, Object>> clients() {
        HttpResponse<String> response = http.get(realmUrl() + "/clients?max=1000", "Authorization", "Bearer " + token());
        return Json.array(response.body());
    }

    public Optional<Map<String, Object>> client(String clientId) {
        HttpResponse<String> response = http.get(realmUrl() + "/clients?clientId=" + Http.enc(clientId), "Authorization", "Bearer " + token());
        return Json.array(response.body()).stream().findFirst();
    }

    public List<String> optionalScopes(String clientUuid) {
        HttpResponse<String> response = http.get(realmUrl() + "/clients/" + clientUuid + "/optional-client-scopes",
                "Authorization", "Bearer " + token());
        return Json.array(response.body()).stream().map(scope -> (String) scope.get("name")).toList();
    }

    /** The config of the realm's {@code mcp-client-registration} policy (Clients → Client registration). */
    Map<String, Object> registrationPolicy() {
        return registrationPolicy("mcp-client-registration");
    }

    /** A registration policy of the realm by its provider id, e.g. {@code mcp-client-metadata-documents}. */
    Map<String, Object> registrationPolicy(String providerId) {
        HttpResponse<String> response = http.get(realmUrl() + "/components?type="
                + Http.enc("org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy"), "Authorization", "Bearer " + token());
        return Json.array(response.body()).stream().filter(c -> providerId.equals(c.get("providerId")))
                .findFirst().orElseThrow();
    }

    /** Changes one setting of the {@code mcp-client-registration} policy, as an admin would in the console. */
    public void setRegistrationPolicy(String key, String value) {
        setRegistrationPolicy("mcp-client-registration", key, List.of(value));
    }

    /** Changes one setting of a registration policy, as an admin would in the console. */
    public void setRegistrationPolicy(String providerId, String key, List<String> values) {
        HttpResponse<String> response = trySetRegistrationPolicy(providerId, key, values);
        if (response.statusCode() != 204) {
            throw new IllegalStateException("Could not update the registration policy: " + response.statusCode() + " " + response.body());
        }
    }

    /** Tries to change one setting of a registration policy; Keycloak's answer. */
    @SuppressWarnings("unchecked")
    public HttpResponse<String> trySetRegistrationPolicy(String providerId, String key, List<String> values) {
        Map<String, Object> policy = registrationPolicy(providerId);
        ((Map<String, Object>) policy.get("config")).put(key, values);
        return http.send(Http.request(realmUrl() + "/components/" + policy.get("id"),
                "Authorization", "Bearer " + token(), "Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(Json.write(policy))).build());
    }

    /** Stored events of a type (Realm settings → Events), newest first. */
    public List<Map<String, Object>> events(String type) {
        return Json.array(http.get(realmUrl() + "/events?type=" + type + "&max=100", "Authorization", "Bearer " + token()).body());
    }

    /** An initial access token (Clients → Initial access token), as an admin hands one to a trusted party. */
    public String initialAccessToken() {
        HttpResponse<String> response = http.postJson(realmUrl() + "/clients-initial-access", Json.write(Map.of("count", 1, "expiration", 600)),
                "Authorization", "Bearer " + token());
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new IllegalStateException("Could not create an initial access token: " + response.statusCode() + " " + response.body());
        }
        return (String) Json.object(response.body()).get("token");
    }

    /**
     * Creates a public client the way an admin would in the console, e.g. a pre-registered MCP client: the realm's
     * default scope {@code mcp-audience}, and {@code mcp:tools} added as optional (naming only optional scopes here
     * would drop the realm's default ones).
     */
    public void createPublicClient(String clientId, String redirectUri, Map<String, String> attributes) {
        String body = Json.write(Map.of("clientId", clientId, "publicClient", true, "redirectUris", List.of(redirectUri),
                "defaultClientScopes", List.of("mcp-audience"), "optionalClientScopes", List.of("mcp:tools"), "attributes", attributes));
        HttpResponse<String> response = http.postJson(realmUrl() + "/clients", body, "Authorization", "Bearer " + token());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Could not create client: " + response.statusCode() + " " + response.body());
        }
    }

    /** Creates an OpenID Connect client scope that is not offered to every client (no realm default). */
    public void createClientScope(String name) {
        HttpResponse<String> response = http.postJson(realmUrl() + "/client-scopes",
                Json.write(Map.of("name", name, "protocol", "openid-connect")), "Authorization", "Bearer " + token());
        if (response.statusCode() != 201 && response.statusCode() != 409) {
            throw new IllegalStateException("Could not create client scope: " + response.statusCode() + " " + response.body());
        }
    }

    /** The default client scopes of a client (Clients → client → Client scopes, type Default). */
    public List<String> defaultScopes(String clientUuid) {
        HttpResponse<String> response = http.get(realmUrl() + "/clients/" + clientUuid + "/default-client-scopes",
                "Authorization", "Bearer " + token());
        return Json.array(response.body()).stream().map(scope -> (String) scope.get("name")).toList();
    }

    /** Registers another MCP server in the realm, the way an admin would: a confidential client with its URL. */
    public void registerMcpServer(String resource) {
        String body = Json.write(Map.of("clientId", resource, "publicClient", false, "standardFlowEnabled", false,
                "secret", "test-only-secret", "attributes", Map.of("mcp.resource.server", "true")));
        HttpResponse<String> response = http.postJson(realmUrl() + "/clients", body, "Authorization", "Bearer " + token());
        if (response.statusCode() != 201 && response.statusCode() != 409) {
            throw new IllegalStateException("Could not register MCP server: " + response.statusCode() + " " + response.body());
        }
    }

    /** Sets one attribute of a client (Clients → client → Advanced), e.g. {@code access.token.lifespan}. */
    @SuppressWarnings("unchecked")
    public void setClientAttribute(String clientId, String key, String value) {
        Map<String, Object> client = client(clientId).orElseThrow();
        ((Map<String, Object>) client.get("attributes")).put(key, value);
        HttpResponse<String> response = http.send(Http.request(realmUrl() + "/clients/" + client.get("id"),
                "Authorization", "Bearer " + token(), "Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(Json.write(client))).build());
        if (response.statusCode() != 204) {
            throw new IllegalStateException("Could not update client " + clientId + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** Turns on Consent required for a client (Clients → client → Login settings). */
    @SuppressWarnings("unchecked")
    public void setClientConsentRequired(String clientId) {
        Map<String, Object> client = client(clientId).orElseThrow();
        client.put("consentRequired", true);
        HttpResponse<String> response = http.send(Http.request(realmUrl() + "/clients/" + client.get("id"),
                "Authorization", "Bearer " + token(), "Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(Json.write(client))).build());
        if (response.statusCode() != 204) {
            throw new IllegalStateException("Could not update client " + clientId + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** Creates a realm from its JSON representation, as an admin imports one in the console. */
    public void createRealm(Map<String, Object> realm) {
        HttpResponse<String> response = http.postJson(keycloak.baseUrl() + "/admin/realms", Json.write(realm), "Authorization", "Bearer " + token());
        if (response.statusCode() != 201 && response.statusCode() != 409) {
            throw new IllegalStateException("Could not create realm: " + response.statusCode() + " " + response.body());
        }
    }

    /** Changes realm settings, as the console's Realm settings page does (only the members given). */
    public void updateRealm(String realm, Map<String, Object> changes) {
        HttpResponse<String> response = http.send(Http.request(keycloak.baseUrl() + "/admin/realms/" + realm,
                "Authorization", "Bearer " + token(), "Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(Json.write(changes))).build());
        if (response.statusCode() != 204) {
            throw new IllegalStateException("Could not update realm " + realm + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** Adds an identity provider to the {@code mcp} realm (Identity providers → Add provider). */
    public void createIdentityProvider(Map<String, Object> provider) {
        HttpResponse<String> response = http.postJson(realmUrl() + "/identity-provider/instances", Json.write(provider),
                "Authorization", "Bearer " + token());
        if (response.statusCode() != 201 && response.statusCode() != 409) {
            throw new IllegalStateException("Could not create identity provider: " + response.statusCode() + " " + response.body());
        }
    }

    public void deleteIdentityProvider(String alias) {
        http.send(Http.request(realmUrl() + "/identity-provider/instances/" + Http.enc(alias), "Authorization", "Bearer " + token())
                .DELETE().build());
    }

    /** POSTs {@code body} to any admin API path (e.g. {@code /admin/realms/acme/components}); Keycloak's status. */
    public int post(String adminPath, Map<String, Object> body) {
        return http.postJson(keycloak.baseUrl() + adminPath, Json.write(body), "Authorization", "Bearer " + token()).statusCode();
    }

    /** PUTs {@code body} to any admin API path (e.g. a user's {@code /reset-password}); Keycloak's status. */
    public int put(String adminPath, Map<String, Object> body) {
        return http.send(Http.request(keycloak.baseUrl() + adminPath, "Authorization", "Bearer " + token(), "Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(Json.write(body))).build()).statusCode();
    }

    /** DELETEs any admin API path (e.g. {@code /admin/realms/acme}); Keycloak's status. */
    public int delete(String adminPath) {
        return http.send(Http.request(keycloak.baseUrl() + adminPath, "Authorization", "Bearer " + token()).DELETE().build()).statusCode();
    }

    /** A JSON array from any admin API path (e.g. {@code /admin/realms/acme/users}), for tests on other realms. */
    public List<Map<String, Object>> list(String adminPath) {
        return Json.array(adminGet(adminPath));
    }

    /** A JSON object from any admin API path (e.g. {@code /admin/realms/acme}). */
    public Map<String, Object> object(String adminPath) {
        return Json.object(adminGet(adminPath));
    }

    private String adminGet(String adminPath) {
        HttpResponse<String> response = http.get(keycloak.baseUrl() + adminPath, "Authorization", "Bearer " + token());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + adminPath + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
