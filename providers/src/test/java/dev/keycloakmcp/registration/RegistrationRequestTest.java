package dev.keycloakmcp.registration;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.representations.oidc.OIDCClientRepresentation;

import dev.keycloakmcp.core.KeycloakOrigins;
import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.core.Refusal;

class RegistrationRequestTest {

    /** Keycloak as in the demo: http://localhost:8080. */
    static final KeycloakOrigins KEYCLOAK = KeycloakOrigins.of(List.of(URI.create("http://localhost:8080/")));

    private static OIDCClientRepresentation parse(String body) throws Refusal {
        return RegistrationRequest.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void ignoresMembersItDoesNotKnow() throws Refusal {
        OIDCClientRepresentation request = parse("""
                {"client_name":"VS Code","redirect_uris":["http://127.0.0.1:33418/"],"token_endpoint_auth_method":"none",
                 "grant_types":["authorization_code","refresh_token"],"response_types":["code"],
                 "scope":"openid mcp:tools","resource":"http://localhost:3000/mcp","software_id":"vscode",
                 "application_type":"native","x-vendor":{"nested":[1,2]}}""");
        assertEquals("VS Code", request.getClientName());
        assertDoesNotThrow(() -> RegistrationRequest.check(request, null, McpRealmSettings.DEFAULTS, KEYCLOAK));
    }

    @Test
    void refusesValuesKeycloakCannotStoreAndNullEntries() throws Refusal {
        String[] bodies = {
                "{\"redirect_uris\":[\"http://localhost/cb\"],\"client_name\":\"" + "n".repeat(256) + "\"}",
                "{\"redirect_uris\":[\"http://localhost/cb\"],\"client_uri\":\"https://example.com/" + "a".repeat(250) + "\"}",
                "{\"redirect_uris\":[\"http://localhost/cb\"],\"logo_uri\":\"https://example.com/" + "a".repeat(2000) + "\"}",
                "{\"redirect_uris\":[\"http://localhost/cb\"],\"grant_types\":[null]}",
                "{\"redirect_uris\":[\"http://localhost/cb\"],\"response_types\":[null]}",
                "{\"redirect_uris\":[\"http://localhost/cb\"],\"post_logout_redirect_uris\":[\"javascript:alert(1)\"]}"
        };
        for (String body : bodies) {
            OIDCClientRepresentation request = parse(body);
            Refusal refusal = assertThrows(Refusal.class, () -> RegistrationRequest.check(request, null, McpRealmSettings.DEFAULTS, KEYCLOAK), body);
            assertEquals("invalid_client_metadata", refusal.error(), body);
        }
        OIDCClientRepresentation longestName = parse(
                "{\"redirect_uris\":[\"http://localhost/cb\"],\"client_name\":\"" + "n".repeat(255) + "\"}");
        assertDoesNotThrow(() -> RegistrationRequest.check(longestName, null, McpRealmSettings.DEFAULTS, KEYCLOAK));
    }

    @Test
    void keepsOnlyWhatAnMcpClientMaySetAndMakesItPublic() throws Refusal {
        OIDCClientRepresentation request = parse("""
                {"client_name":"c","redirect_uris":["http://localhost/cb"],"scope":"mcp:tools","logo_uri":"https://example.com/l.png",
                 "token_endpoint_auth_method":"private_key_jwt","jwks_uri":"http://169.254.169.254/keys","jwks":{},
                 "request_uris":["http://127.0.0.1:18999/*"],"backchannel_logout_uri":"http://10.0.0.1/logout",
                 "sector_identifier_uri":"http://10.0.0.1/sector","subject_type":"pairwise","frontchannel_logout_uri":"http://10.0.0.1/f"}""");
        OIDCClientRepresentation client = RegistrationRequest.asMcpClient(request, McpRealmSettings.DEFAULTS);
        assertEquals("c", client.getClientName());
        assertEquals(java.util.List.of("http://localhost/cb"), client.getRedirectUris());
        assertEquals("mcp:tools", client.getScope());
        assertEquals("https://example.com/l.png", client.getLogoUri());
        assertEquals("none", client.getTokenEndpointAuthMethod());
        assertEquals(null, client.getJwksUri());
        assertEquals(null, client.getJwks());
        assertEquals(null, client.getRequestUris());
        assertEquals(null, client.getBackchannelLogoutUri());
        assertEquals(null, client.getSectorIdentifierUri());
        assertEquals(null, client.getSubjectType());
        assertEquals(null, client.getFrontChannelLogoutUri());
    }

    @Test
    void dpopBoundAccessTokensIsKeptAsAsked() throws Refusal {
        for (Boolean asked : new Boolean[] {Boolean.TRUE, Boolean.FALSE, null}) {
            OIDCClientRepresentation request = parse("{\"redirect_uris\":[\"http://localhost/cb\"]"
                    + (asked == null ? "" : ",\"dpop_bound_access_tokens\":" + asked) + "}");
            assertDoesNotThrow(() -> RegistrationRequest.check(request, null, McpRealmSettings.DEFAULTS, KEYCLOAK));
            assertEquals(asked, RegistrationRequest.asMcpClient(request, McpRealmSettings.DEFAULTS).getDpopBoundAccessTokens());
        }
        assertEquals("invalid_client_metadata", assertThrows(Refusal.class,
                () -> parse("{\"redirect_uris\":[\"http://localhost/cb\"],\"dpop_bound_access_tokens\":\"yes\"}")).error());
    }

    @Test
    void anUpdateMustNameTheClientItUpdates() throws Refusal {
        OIDCClientRepresentation request = parse("{\"client_id\":\"abc\",\"redirect_uris\":[\"http://localhost/cb\"]}");
        assertDoesNotThrow(() -> RegistrationRequest.check(request, "abc", McpRealmSettings.DEFAULTS, KEYCLOAK));
        assertEquals("invalid_client_metadata", assertThrows(Refusal.class, () -> RegistrationRequest.check(request, "other", McpRealmSettings.DEFAULTS, KEYCLOAK)).error());
        request.setClientId(null);
        assertEquals("invalid_client_metadata", assertThrows(Refusal.class, () -> RegistrationRequest.check(request, "abc", McpRealmSettings.DEFAULTS, KEYCLOAK)).error());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "[]", "\"text\"", "42", "{", "not json", "{\"redirect_uris\":\"http://localhost/cb\"}"})
    void refusesBodiesThatAreNotClientMetadata(String body) {
        Refusal refusal = assertThrows(Refusal.class, () -> parse(body));
        assertEquals("invalid_client_metadata", refusal.error());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"redirect_uris\":[\"http://evil.example.com/cb\"]}                                          | invalid_redirect_uri",
            "{}                                                                                             | invalid_redirect_uri",
            "{\"redirect_uris\":[\"http://localhost/cb\"],\"grant_types\":[\"implicit\"]}                   | invalid_client_metadata",
            "{\"redirect_uris\":[\"http://localhost/cb\"],\"grant_types\":[\"password\"]}                   | invalid_client_metadata",
            "{\"redirect_uris\":[\"http://localhost/cb\"],\"grant_types\":[\"client_credentials\"]}         | invalid_client_metadata",
            "{\"redirect_uris\":[\"http://localhost/cb\"],\"response_types\":[\"token\"]}                   | invalid_client_metadata",
            "{\"redirect_uris\":[\"http://localhost/cb\"],\"client_id\":\"chosen-by-client\"}               | invalid_client_metadata"
    })
    void refusesWhatAnMcpClientMayNotAskFor(String body, String error) throws Refusal {
        OIDCClientRepresentation request = parse(body.trim());
        Refusal refusal = assertThrows(Refusal.class, () -> RegistrationRequest.check(request, null, McpRealmSettings.DEFAULTS, KEYCLOAK));
        assertEquals(error, refusal.error());
    }
}
