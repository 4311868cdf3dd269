package dev.keycloakmcp.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.keycloak.protocol.oidc.representations.OIDCConfigurationRepresentation;

class AuthorizationServerMetadataTest {

    private static OIDCConfigurationRepresentation stock() {
        OIDCConfigurationRepresentation metadata = new OIDCConfigurationRepresentation();
        metadata.setIssuer("http://localhost:8080/realms/mcp");
        metadata.setCodeChallengeMethodsSupported(List.of("plain", "S256"));
        metadata.setResponseTypesSupported(List.of("code", "none", "id_token", "token", "id_token token", "code id_token"));
        metadata.setGrantTypesSupported(List.of("authorization_code", "implicit", "refresh_token", "password", "client_credentials"));
        metadata.setResponseModesSupported(List.of("query", "fragment", "form_post", "query.jwt"));
        metadata.setTokenEndpointAuthMethodsSupported(List.of("private_key_jwt", "client_secret_basic"));
        metadata.setScopesSupported(List.of("openid", "profile"));
        metadata.setRegistrationEndpoint("http://localhost:8080/realms/mcp/clients-registrations/openid-connect");
        return metadata;
    }

    @Test
    void advertisesExactlyWhatAnMcpRealmEnforces() {
        OIDCConfigurationRepresentation shaped = AuthorizationServerMetadata.shapeForMcp(stock(),
                "http://localhost:8080/realms/mcp/clients-registrations/mcp", List.of("mcp:tools"), List.of("none"), false);

        assertEquals("http://localhost:8080/realms/mcp", shaped.getIssuer());
        assertEquals(List.of("S256"), shaped.getCodeChallengeMethodsSupported());
        assertEquals(List.of("code"), shaped.getResponseTypesSupported());
        assertEquals(List.of("authorization_code", "refresh_token"), shaped.getGrantTypesSupported());
        assertEquals(List.of("query"), shaped.getResponseModesSupported());
        assertEquals("http://localhost:8080/realms/mcp/clients-registrations/mcp", shaped.getRegistrationEndpoint());
        assertEquals(List.of("none"), shaped.getTokenEndpointAuthMethodsSupported());
        assertEquals(List.of("openid", "profile", "mcp:tools"), shaped.getScopesSupported());
        assertTrue(shaped.getAuthorizationResponseIssParameterSupported());
        assertNull(shaped.getClientIdMetadataDocumentSupported(), "not advertised where the realm does not accept documents");
    }

    @Test
    void advertisesMetadataDocumentsWhereTheRealmAcceptsThem() {
        OIDCConfigurationRepresentation shaped = AuthorizationServerMetadata.shapeForMcp(stock(),
                "http://localhost:8080/realms/mcp/clients-registrations/mcp", List.of("mcp:tools"), List.of("none"), true);
        assertTrue(shaped.getClientIdMetadataDocumentSupported());
    }
}
