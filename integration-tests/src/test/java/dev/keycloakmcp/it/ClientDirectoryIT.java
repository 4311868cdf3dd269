package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;

import dev.keycloakmcp.it.support.Compat;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;

/**
 * The pack counts a realm's self-registered MCP clients in its own table, not by reading the realm's clients: clients
 * that come with a realm import are counted too, and a removed client leaves room again.
 */
@McpStackTest
class ClientDirectoryIT {

    private static final String REALM = "imported-mcp";
    private static McpStack stack;

    @Test
    @Compat
    void importedMcpClientsCountAndRemovedOnesLeaveRoom() throws IOException {
        stack.admin.createRealm(realmWithTwoMcpClients());
        try {
            Http http = new Http();
            String endpoint = stack.keycloak.issuer(REALM) + "/clients-registrations/mcp";
            HttpResponse<String> refused = http.postJson(endpoint, Json.write(McpOAuthClient.typicalRegistration("Third")));
            assertEquals(403, refused.statusCode(), refused::body);
            assertEquals("insufficient_scope", Json.object(refused.body()).get("error"));

            ClientRepresentation imported = stack.admin.realm(REALM).clients().findByClientId("imported-mcp-client-1").get(0);
            stack.admin.realm(REALM).clients().get(imported.getId()).remove();
            HttpResponse<String> registered = http.postJson(endpoint, Json.write(McpOAuthClient.typicalRegistration("Third")));
            assertEquals(201, registered.statusCode(), registered::body);
            assertEquals(403, http.postJson(endpoint, Json.write(McpOAuthClient.typicalRegistration("Fourth"))).statusCode());
        } finally {
            stack.admin.realm(REALM).remove();
        }
    }

    /** The demo realm under another name, capped at two self-registered MCP clients, with two of them in the file. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> realmWithTwoMcpClients() throws IOException {
        Map<String, Object> realm = Json.object(Files.readString(Path.of(System.getProperty("realm.file"))));
        realm.put("realm", REALM);
        realm.remove("users");
        List<Object> clients = new ArrayList<>((List<Object>) realm.getOrDefault("clients", List.of()));
        for (int i = 1; i <= 2; i++) {
            clients.add(Map.of("clientId", "imported-mcp-client-" + i, "publicClient", true, "redirectUris", List.of("http://127.0.0.1/callback"),
                    "attributes", Map.of("mcp.client", "dynamic", "mcp.last-used", String.valueOf(System.currentTimeMillis() / 1000))));
        }
        realm.put("clients", clients);
        Map<String, List<Map<String, Object>>> components = (Map<String, List<Map<String, Object>>>) realm.get("components");
        for (Map<String, Object> policy : components.get("org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy")) {
            if ("mcp-client-registration".equals(policy.get("providerId"))) {
                Map<String, Object> config = new java.util.HashMap<>((Map<String, Object>) policy.get("config"));
                config.put("max-mcp-clients", List.of("2"));
                config.put("registrations-per-minute", List.of("0"));
                policy.put("config", config);
            }
        }
        return realm;
    }
}
