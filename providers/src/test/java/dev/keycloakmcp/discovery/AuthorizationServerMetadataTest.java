package dev.keycloakmcp.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
        metadata.setTokenEndpointAuthSigningAlgValuesSupported(List.of("PS384", "ES384", "RS384", "HS256", "HS512", "ES256", "RS256",
                "HS384", "ES512", "PS256", "PS512", "RS512", "EdDSA"));
        return metadata;
    }

    private static AuthorizationServerMetadata.McpOffer offer(boolean offlineAccess, boolean documents) {
        return offer(offlineAccess, documents, List.of("none"), false, false);
    }

    private static AuthorizationServerMetadata.McpOffer offer(boolean offlineAccess, boolean documents, boolean deviceGrant) {
        return offer(offlineAccess, documents, List.of("none"), deviceGrant, false);
    }

    private static AuthorizationServerMetadata.McpOffer offer(boolean offlineAccess, boolean documents, List<String> registrationAuthMethods,
            boolean clientCredentials) {
        return offer(offlineAccess, documents, registrationAuthMethods, false, clientCredentials);
    }

    private static AuthorizationServerMetadata.McpOffer offer(boolean offlineAccess, boolean documents, List<String> registrationAuthMethods,
            boolean deviceGrant, boolean clientCredentials) {
        return new AuthorizationServerMetadata.McpOffer(REGISTRATION, List.of("mcp:tools", "mcp:tools:write"), offlineAccess,
                registrationAuthMethods, documents, deviceGrant, clientCredentials, false);
    }

    /** The device endpoint and grant together, only where the realm allows the grant and Keycloak offers the endpoint. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "false, true,  false, false",
            "true,  true,  false, true",
            "false, true,  true,  false",
            "true,  true,  true,  true",
            "true,  false, false, false"})
    void advertisesTheDeviceGrantOnlyWhereTheRealmAllowsIt(boolean deviceGrant, boolean keycloakHasDeviceFlow, boolean openId,
            boolean advertised) {
        OIDCConfigurationRepresentation stock = stock();
        if (!keycloakHasDeviceFlow) {
            stock.setDeviceAuthorizationEndpoint(null);
        }
        Map<String, Object> shaped = AuthorizationServerMetadata.shapeForMcp(stock, openId, offer(true, false, deviceGrant));
        assertEquals(advertised, shaped.containsKey("device_authorization_endpoint"));
        if (advertised) {
            assertEquals("http://localhost:8080/realms/mcp/protocol/openid-connect/auth/device", shaped.get("device_authorization_endpoint"));
            assertEquals(List.of("authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"),
                    shaped.get("grant_types_supported"));
        } else {
            assertEquals(List.of("authorization_code", "refresh_token"), shaped.get("grant_types_supported"));
        }
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
        assertEquals(List.of("PS256", "ES384", "RS512"),
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

    /** What a realm with client credentials for machine clients adds; registered clients' methods first, each once. */
    @ParameterizedTest(name = "{0} and {1}, openid={2}")
    @CsvSource(delimiter = '|', textBlock = """
            none                                        | none private_key_jwt client_secret_basic                    | false
            none client_secret_basic client_secret_post | none client_secret_basic client_secret_post private_key_jwt | false
            none                                        | none private_key_jwt client_secret_basic                    | true
            """)
    void clientCredentialsAddTheGrantTheMachineMethodsAndAsymmetricAlgorithms(String registration, String advertised, boolean openId) {
        Map<String, Object> shaped = AuthorizationServerMetadata.shapeForMcp(stock(), openId,
                offer(true, false, List.of(registration.split(" ")), true));
        assertEquals(List.of("authorization_code", "refresh_token", "client_credentials"), shaped.get("grant_types_supported"));
        assertEquals(List.of(advertised.split(" ")), shaped.get("token_endpoint_auth_methods_supported"));
        assertEquals(List.of(advertised.split(" ")), shaped.get("revocation_endpoint_auth_methods_supported"));
        assertEquals(List.of("PS384", "ES384", "RS384", "ES256", "RS256", "ES512", "PS256", "PS512", "RS512", "EdDSA"),
                shaped.get("token_endpoint_auth_signing_alg_values_supported"), "no HS* (client_secret_jwt), no none");
    }

    /** A trusted enterprise IdP adds the jwt-bearer grant, the ID-JAG profile and the methods of authenticated clients. */
    @ParameterizedTest(name = "identityAssertions={0}, clientCredentials={1}, openid={2}")
    @CsvSource({
            "true,  false, false, authorization_code refresh_token urn:ietf:params:oauth:grant-type:jwt-bearer",
            "true,  true,  true,  authorization_code refresh_token client_credentials urn:ietf:params:oauth:grant-type:jwt-bearer",
            "false, false, true,  authorization_code refresh_token"})
    void identityAssertionsAddTheJwtBearerGrantAndTheProfile(boolean identityAssertions, boolean clientCredentials, boolean openId,
            String grants) {
        Map<String, Object> shaped = AuthorizationServerMetadata.shapeForMcp(stock(), openId, new AuthorizationServerMetadata.McpOffer(
                REGISTRATION, List.of("mcp:tools"), true, List.of("none"), false, false, clientCredentials, identityAssertions));
        assertEquals(List.of(grants.split(" ")), shaped.get("grant_types_supported"));
        if (identityAssertions) {
            assertEquals(List.of("urn:ietf:params:oauth:grant-profile:id-jag"), shaped.get("authorization_grant_profiles_supported"));
            assertEquals(List.of("none", "private_key_jwt", "client_secret_basic"), shaped.get("token_endpoint_auth_methods_supported"));
            assertTrue(shaped.containsKey("token_endpoint_auth_signing_alg_values_supported"));
        } else {
            assertFalse(shaped.containsKey("authorization_grant_profiles_supported"));
            assertEquals(List.of("none"), shaped.get("token_endpoint_auth_methods_supported"));
        }
    }

    @Test
    void withoutClientCredentialsNothingOfThem() {
        Map<String, Object> shaped = AuthorizationServerMetadata.shapeForMcp(stock(), true, offer(true, false));
        assertEquals(List.of("authorization_code", "refresh_token"), shaped.get("grant_types_supported"));
        assertEquals(List.of("none"), shaped.get("token_endpoint_auth_methods_supported"));
        assertFalse(shaped.containsKey("token_endpoint_auth_signing_alg_values_supported"));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", delimiter = '|', textBlock = """
            HS256 RS256 none ES256 | RS256 ES256
            HS256 HS384            | ''
            null                   | ''
            """)
    void asymmetricAlgorithmsOnly(String stockAlgs, String kept) {
        List<String> stock = stockAlgs == null ? null : List.of(stockAlgs.split(" "));
        assertEquals(kept.isEmpty() ? List.of() : List.of(kept.split(" ")), AuthorizationServerMetadata.asymmetric(stock));
    }
}
