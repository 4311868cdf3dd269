package dev.keycloakmcp.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.protocol.oidc.representations.OIDCConfigurationRepresentation;

class AuthorizationServerMetadataTest {

    private static final String REGISTRATION = "http://localhost:8080/realms/mcp/clients-registrations/mcp";

    private static OIDCConfigurationRepresentation stock() {
        OIDCConfigurationRepresentation metadata = new OIDCConfigurationRepresentation();
        metadata.setIssuer("http://localhost:8080/realms/mcp");
        metadata.setAuthorizationEndpoint("http://localhost:8080/realms/mcp/protocol/openid-connect/auth");
        metadata.setTokenEndpoint("http://localhost:8080/realms/mcp/protocol/openid-connect/token");
        metadata.setUserinfoEndpoint("http://localhost:8080/realms/mcp/protocol/openid-connect/userinfo");
        metadata.setCodeChallengeMethodsSupported(List.of("plain", "S256"));
        metadata.setResponseTypesSupported(List.of("code", "none", "id_token", "token", "id_token token", "code id_token"));
        metadata.setGrantTypesSupported(List.of("authorization_code", "implicit", "refresh_token", "password", "client_credentials"));
        metadata.setResponseModesSupported(List.of("query", "fragment", "form_post", "query.jwt"));
        metadata.setTokenEndpointAuthMethodsSupported(List.of("private_key_jwt", "client_secret_basic"));
        metadata.setScopesSupported(List.of("openid", "profile", "microprofile-jwt", "offline_access", "service_account"));
        metadata.setRegistrationEndpoint("http://localhost:8080/realms/mcp/clients-registrations/openid-connect");
        metadata.setDeviceAuthorizationEndpoint("http://localhost:8080/realms/mcp/protocol/openid-connect/auth/device");
        metadata.setDpopSigningAlgValuesSupported(List.of("ES256", "RS256"));
        metadata.setPushedAuthorizationRequestEndpoint("http://localhost:8080/realms/mcp/protocol/openid-connect/ext/par/request");
        metadata.setBackchannelAuthenticationEndpoint("http://localhost:8080/realms/mcp/protocol/openid-connect/ext/ciba/auth");
        metadata.setRequestParameterSupported(true);
        metadata.setRevocationEndpoint("http://localhost:8080/realms/mcp/protocol/openid-connect/revoke");
        metadata.setRevocationEndpointAuthMethodsSupported(List.of("private_key_jwt", "client_secret_basic", "tls_client_auth"));
        return metadata;
    }

    private static AuthorizationServerMetadata.McpOffer offer(boolean offlineAccess, boolean documents) {
        return new AuthorizationServerMetadata.McpOffer(REGISTRATION, List.of("mcp:tools", "mcp:tools:write"), offlineAccess,
                List.of("none"), documents);
    }

    @Test
    void advertisesExactlyWhatAnMcpRealmEnforces() {
        Map<String, Object> shaped = AuthorizationServerMetadata.shapeForMcp(stock(), false, offer(true, false));

        assertEquals("http://localhost:8080/realms/mcp", shaped.get("issuer"));
        assertEquals(List.of("S256"), shaped.get("code_challenge_methods_supported"));
        assertEquals(List.of("code"), shaped.get("response_types_supported"));
        assertEquals(List.of("authorization_code", "refresh_token"), shaped.get("grant_types_supported"));
        assertEquals(List.of("query"), shaped.get("response_modes_supported"));
        assertEquals(REGISTRATION, shaped.get("registration_endpoint"));
        assertEquals(List.of("none"), shaped.get("token_endpoint_auth_methods_supported"));
        assertEquals(List.of("none"), shaped.get("revocation_endpoint_auth_methods_supported"), "MCP clients revoke as they get tokens");
        assertEquals(List.of("openid", "mcp:tools", "mcp:tools:write", "offline_access"), shaped.get("scopes_supported"));
        assertEquals(Boolean.TRUE, shaped.get("authorization_response_iss_parameter_supported"));
        assertFalse(shaped.containsKey("client_id_metadata_document_supported"), "not advertised where the realm does not accept documents");
        assertEquals(Set.of("issuer", "authorization_endpoint", "token_endpoint", "code_challenge_methods_supported",
                "response_types_supported", "grant_types_supported", "response_modes_supported", "registration_endpoint",
                "token_endpoint_auth_methods_supported", "scopes_supported", "authorization_response_iss_parameter_supported",
                "revocation_endpoint", "revocation_endpoint_auth_methods_supported", "dpop_signing_alg_values_supported"),
                shaped.keySet(), "nothing else of the stock document");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void dpopAlgorithmsAreKeptAsymmetricOnlyAndOnlyWhereKeycloakHasDpopOn(boolean openId) {
        OIDCConfigurationRepresentation withHmac = stock();
        withHmac.setDpopSigningAlgValuesSupported(List.of("PS256", "HS256", "ES384", "none", "RS512", "EdDSA", "HS512"));
        assertEquals(List.of("PS256", "ES384", "RS512", "EdDSA"),
                AuthorizationServerMetadata.shapeForMcp(withHmac, openId, offer(false, false)).get("dpop_signing_alg_values_supported"));

        OIDCConfigurationRepresentation featureOff = stock();
        featureOff.setDpopSigningAlgValuesSupported(null);
        assertFalse(AuthorizationServerMetadata.shapeForMcp(featureOff, openId, offer(false, false)).containsKey("dpop_signing_alg_values_supported"));
        OIDCConfigurationRepresentation onlyHmac = stock();
        onlyHmac.setDpopSigningAlgValuesSupported(List.of("HS256"));
        assertFalse(AuthorizationServerMetadata.shapeForMcp(onlyHmac, openId, offer(false, false)).containsKey("dpop_signing_alg_values_supported"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void neverAdvertisesWhatMcpClientsCannotUse(boolean openId) {
        Map<String, Object> shaped = AuthorizationServerMetadata.shapeForMcp(stock(), openId, offer(true, true));
        for (String member : List.of("device_authorization_endpoint",
                "pushed_authorization_request_endpoint", "backchannel_authentication_endpoint")) {
            assertFalse(shaped.containsKey(member), member);
        }
        assertEquals(openId, shaped.containsKey("request_parameter_supported"), "request objects: OpenID applications' member");
        assertEquals(Boolean.TRUE, shaped.get("client_id_metadata_document_supported"));
        assertEquals(openId, shaped.containsKey("userinfo_endpoint"), "the OpenID document keeps what OpenID applications use");
    }

    @Test
    void offlineAccessOnlyWhereMcpClientsMayHaveIt() {
        Map<String, Object> shaped = AuthorizationServerMetadata.shapeForMcp(stock(), false, offer(false, false));
        assertEquals(List.of("openid", "mcp:tools", "mcp:tools:write"), shaped.get("scopes_supported"));
    }
}
