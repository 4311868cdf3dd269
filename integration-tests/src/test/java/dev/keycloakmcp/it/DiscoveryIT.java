package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.keycloakmcp.core.KeycloakFeature;
import dev.keycloakmcp.it.support.Compat;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.RunningKeycloak;

/** Every discovery URL an MCP client tries answers with the same truthful MCP document; other realms stay stock. */
@McpStackTest
@Compat
class DiscoveryIT {

    private static McpStack stack;
    private final Http http = new Http();

    @ParameterizedTest
    @ValueSource(strings = {
            "/.well-known/oauth-authorization-server/realms/mcp",
            "/.well-known/openid-configuration/realms/mcp",
            "/realms/mcp/.well-known/openid-configuration",
            "/realms/mcp/.well-known/oauth-authorization-server"
    })
    void mcpRealmMetadataIsTheSameMcpDocumentEverywhere(String path) {
        HttpResponse<String> response = http.get(stack.keycloak.baseUrl() + path);
        Optional<KeycloakFeature> rootUrl = path.startsWith("/.well-known/oauth-authorization-server/") ? Optional.of(KeycloakFeature.ROOT_METADATA)
                : path.startsWith("/.well-known/openid-configuration/") ? Optional.of(KeycloakFeature.ROOT_OPENID_CONFIGURATION) : Optional.empty();
        if (rootUrl.isPresent() && !RunningKeycloak.has(rootUrl.get())) {
            // A line without this root URL (the compatibility table): clients go on to the realm path.
            assertEquals(404, response.statusCode(), path);
            return;
        }
        assertEquals(200, response.statusCode(), path);
        Map<String, Object> metadata = Json.object(response.body());

        assertEquals(stack.issuer(), metadata.get("issuer"));
        assertEquals(List.of("S256"), metadata.get("code_challenge_methods_supported"));
        assertEquals(List.of("code"), metadata.get("response_types_supported"));
        assertEquals(List.of("authorization_code", "refresh_token"), metadata.get("grant_types_supported"));
        assertEquals(stack.issuer() + "/clients-registrations/mcp", metadata.get("registration_endpoint"));
        assertEquals(Set.of("openid", "mcp:tools", "mcp:tools:write", "offline_access"), Set.copyOf((List<?>) metadata.get("scopes_supported")),
                "only what an MCP client may ask for (offline_access: the realm gives its clients the scope and its users the role)");
        assertEquals(List.of("none"), metadata.get("token_endpoint_auth_methods_supported"), "only what registration hands out");
        assertEquals(List.of("none"), metadata.get("revocation_endpoint_auth_methods_supported"), "MCP clients revoke as they get tokens");
        assertEquals(Boolean.TRUE, metadata.get("authorization_response_iss_parameter_supported"));
        assertEquals(Boolean.TRUE, metadata.get("client_id_metadata_document_supported"));
        for (String unsupported : List.of("device_authorization_endpoint",
                "pushed_authorization_request_endpoint", "backchannel_authentication_endpoint", "mtls_endpoint_aliases",
                "authorization_signing_alg_values_supported")) {
            assertFalse(metadata.containsKey(unsupported), unsupported + " is not advertised: MCP clients cannot use it here");
        }
        Set<String> mcpMembers = Set.of("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint",
                "scopes_supported", "response_types_supported", "response_modes_supported", "grant_types_supported",
                "token_endpoint_auth_methods_supported", "code_challenge_methods_supported", "revocation_endpoint",
                "revocation_endpoint_auth_methods_supported", "introspection_endpoint", "introspection_endpoint_auth_methods_supported",
                "authorization_response_iss_parameter_supported", "client_id_metadata_document_supported");
        // Where Keycloak has DPoP on (26.4+, or --features=dpop): its asymmetric algorithms only (DpopIT checks it is there).
        if (metadata.get("dpop_signing_alg_values_supported") instanceof List<?> dpopAlgs) {
            assertTrue(dpopAlgs.stream().noneMatch(alg -> String.valueOf(alg).startsWith("HS") || "none".equals(alg)), dpopAlgs.toString());
            mcpMembers = new java.util.HashSet<>(mcpMembers);
            mcpMembers.add("dpop_signing_alg_values_supported");
        }
        if (path.contains("oauth-authorization-server")) {
            assertEquals(mcpMembers, metadata.keySet(), "the RFC 8414 document has exactly the members MCP clients use");
        } else {
            assertTrue(metadata.keySet().containsAll(mcpMembers) && metadata.containsKey("userinfo_endpoint")
                    && metadata.containsKey("end_session_endpoint"), "the OpenID document keeps what the realm's OpenID applications use");
        }
    }

    @Test
    void otherRealmsKeepStockMetadata() {
        Map<String, Object> master = Json.object(http.get(stack.keycloak.issuer("master") + "/.well-known/openid-configuration").body());
        assertTrue(((List<?>) master.get("code_challenge_methods_supported")).contains("plain"));
        assertTrue(((List<?>) master.get("grant_types_supported")).contains("password"));
        assertEquals(stack.keycloak.issuer("master") + "/clients-registrations/openid-connect", master.get("registration_endpoint"));
        assertFalse(((List<?>) master.get("scopes_supported")).contains("mcp:tools"));

        assertEquals(404, http.get(stack.keycloak.baseUrl() + "/.well-known/openid-configuration/realms/master").statusCode(),
                "the root OpenID form stays 404 outside MCP realms, as in stock Keycloak");
        assertEquals(RunningKeycloak.has(KeycloakFeature.ROOT_METADATA) ? 200 : 404,
                http.get(stack.keycloak.baseUrl() + "/.well-known/oauth-authorization-server/realms/master").statusCode());
    }

    @Test
    void registrationIsClosedOutsideMcpRealms() {
        HttpResponse<String> response = http.postJson(stack.keycloak.issuer("master") + "/clients-registrations/mcp",
                Json.write(McpOAuthClient.typicalRegistration("not here")));
        assertEquals(404, response.statusCode(), response.body());
        assertEquals("invalid_request", Json.object(response.body()).get("error"));
    }
}
