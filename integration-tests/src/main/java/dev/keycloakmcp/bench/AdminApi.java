package dev.keycloakmcp.bench;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.KeycloakRuntime;

/**
 * The few admin REST calls the benchmarks need, over plain HTTP as the console makes them (the tests use Keycloak's
 * typed admin client, which is a test dependency).
 */
public final class AdminApi {

    static final String REALM = "mcp";

    private final Http http = new Http();
    private final KeycloakRuntime keycloak;

    public AdminApi(KeycloakRuntime keycloak) {
        this.keycloak = keycloak;
    }

    /** A fresh admin access token (master realm, admin-cli; it lives a minute). */
    String token() {
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

    public Optional<Map<String, Object>> client(String clientId) {
        HttpResponse<String> response = http.get(realmUrl() + "/clients?clientId=" + Http.enc(clientId), "Authorization", "Bearer " + token());
        return Json.array(response.body()).stream().findFirst();
    }

    static final String REGISTRATION_POLICY = "org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy";
    static final String CLIENT_STORAGE = "org.keycloak.storage.client.ClientStorageProvider";

    /** A component of the realm by its type and provider id, e.g. the registration policy {@code mcp-client-metadata-documents}. */
    private Map<String, Object> component(String type, String providerId) {
        HttpResponse<String> response = http.get(realmUrl() + "/components?type=" + Http.enc(type), "Authorization", "Bearer " + token());
        return Json.array(response.body()).stream().filter(c -> providerId.equals(c.get("providerId")))
                .findFirst().orElseThrow();
    }

    /** Changes one setting of the {@code mcp-client-registration} policy, as an admin would in the console. */
    public void setRegistrationPolicy(String key, String value) {
        setRegistrationPolicy("mcp-client-registration", key, List.of(value));
    }

    /** Changes one setting of a registration policy, as an admin would in the console. */
    public void setRegistrationPolicy(String providerId, String key, List<String> values) {
        setComponent(REGISTRATION_POLICY, providerId, key, values);
    }

    /** Changes one setting of a realm component (type and provider id), as an admin would in the console. */
    @SuppressWarnings("unchecked")
    public void setComponent(String type, String providerId, String key, List<String> values) {
        Map<String, Object> component = component(type, providerId);
        ((Map<String, Object>) component.get("config")).put(key, values);
        HttpResponse<String> response = http.send(Http.request(realmUrl() + "/components/" + component.get("id"),
                "Authorization", "Bearer " + token(), "Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(Json.write(component))).build());
        if (response.statusCode() != 204) {
            throw new IllegalStateException("Could not update component " + providerId + ": " + response.statusCode() + " " + response.body());
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

    /** Changes realm settings, as the console's Realm settings page does (only the members given). */
    public void updateRealm(String realm, Map<String, Object> changes) {
        HttpResponse<String> response = http.send(Http.request(keycloak.baseUrl() + "/admin/realms/" + realm,
                "Authorization", "Bearer " + token(), "Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(Json.write(changes))).build());
        if (response.statusCode() != 204) {
            throw new IllegalStateException("Could not update realm " + realm + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** POSTs {@code body} to any admin API path (e.g. {@code /admin/realms/acme/components}); Keycloak's status. */
    public int post(String adminPath, Map<String, Object> body) {
        return http.postJson(keycloak.baseUrl() + adminPath, Json.write(body), "Authorization", "Bearer " + token()).statusCode();
    }

    /** A JSON array from any admin API path (e.g. {@code /admin/realms/acme/users}), for tests on other realms. */
    public List<Map<String, Object>> list(String adminPath) {
        return Json.array(adminGet(adminPath));
    }

    private String adminGet(String adminPath) {
        HttpResponse<String> response = http.get(keycloak.baseUrl() + adminPath, "Authorization", "Bearer " + token());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + adminPath + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
