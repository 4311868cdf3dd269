package dev.keycloakmcp.cimd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.keycloak.representations.oidc.OIDCClientRepresentation;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakmcp.core.KeycloakOrigins;
import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.registration.ClientMetadataJson;

/** Documents shaped like those the MCP clients in use publish (members as published, client_id moved to our URL). */
class MetadataDocumentTest {

    static final String URL = "https://client.example/oauth/metadata.json";
    /** Keycloak as in the demo. */
    static final KeycloakOrigins KEYCLOAK = KeycloakOrigins.of(List.of(URI.create("http://localhost:8080/")));

    static List<Object[]> publishedShapes() {
        return List.of(
                new Object[] {"Claude Code", """
                        {"client_id":"%s","client_name":"Claude Code","client_uri":"https://claude.ai",
                         "redirect_uris":["http://localhost/callback","http://127.0.0.1/callback"],
                         "grant_types":["authorization_code","refresh_token"],"response_types":["code"],
                         "token_endpoint_auth_method":"none"}""", List.of("authorization_code", "refresh_token")},
                new Object[] {"Claude", """
                        {"client_id":"%s","client_name":"Claude","client_uri":"https://claude.ai",
                         "redirect_uris":["https://claude.ai/api/mcp/auth_callback"],
                         "grant_types":["authorization_code","refresh_token","urn:ietf:params:oauth:grant-type:jwt-bearer"],
                         "response_types":["code"],"token_endpoint_auth_method":"none"}""", List.of("authorization_code", "refresh_token")},
                new Object[] {"Visual Studio Code", """
                        {"client_id":"%s","client_name":"Visual Studio Code","application_type":"native",
                         "client_uri":"https://code.visualstudio.com","logo_uri":"https://code.visualstudio.com/assets/favicon.ico",
                         "redirect_uris":["http://127.0.0.1:33418/","https://vscode.dev/redirect"],
                         "grant_types":["authorization_code","refresh_token","urn:ietf:params:oauth:grant-type:device_code"],
                         "response_types":["code"],"token_endpoint_auth_method":"none"}""", List.of("authorization_code", "refresh_token")},
                new Object[] {"ChatGPT", """
                        {"client_id":"%s","client_name":"ChatGPT","client_uri":"https://chatgpt.com",
                         "redirect_uris":["https://chatgpt.com/connector_platform_oauth_redirect"],
                         "grant_types":["authorization_code","refresh_token"],"response_types":["code"],
                         "token_endpoint_auth_method":"private_key_jwt","token_endpoint_auth_methods_supported":["none","private_key_jwt"],
                         "token_endpoint_auth_signing_alg":"RS256","jwks_uri":"https://chatgpt.com/oauth/jwks.json","scope":""}""",
                        List.of("authorization_code", "refresh_token")});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publishedShapes")
    void thePublishedShapesBecomePublicMcpClients(String name, String document, List<String> grants) throws Exception {
        OIDCClientRepresentation client = MetadataDocument.read(json(document.formatted(URL)), url(URL), McpRealmSettings.DEFAULTS, KEYCLOAK);
        assertEquals(URL, client.getClientId());
        assertEquals(name, client.getClientName());
        assertEquals("none", client.getTokenEndpointAuthMethod());
        assertEquals(grants, client.getGrantTypes());
        assertEquals(List.of("code"), client.getResponseTypes());
        assertNull(client.getJwksUri(), "keys and URLs Keycloak would fetch are dropped");
        List<String> listed = new java.util.ArrayList<>();
        json(document.formatted(URL)).get("redirect_uris").forEach(uri -> listed.add(uri.asText()));
        assertEquals(listed, client.getRedirectUris());
    }

    /** A document's device grant is kept where the realm allows MCP clients the grant, dropped elsewhere. */
    @ParameterizedTest(name = "device grant allowed: {0}")
    @CsvSource({"false, authorization_code refresh_token", "true, authorization_code refresh_token urn:ietf:params:oauth:grant-type:device_code"})
    void aDocumentsDeviceGrantOnlyWhereTheRealmAllowsIt(boolean deviceGrant, String kept) throws Exception {
        String document = """
                {"client_id":"%s","client_name":"Visual Studio Code","redirect_uris":["http://127.0.0.1:33418/"],
                 "grant_types":["authorization_code","refresh_token","urn:ietf:params:oauth:grant-type:device_code","client_credentials"],
                 "token_endpoint_auth_method":"none"}""".formatted(URL);
        McpRealmSettings settings = new McpRealmSettings(java.util.Set.of(), false, 10, 10, 60, false, deviceGrant, false);
        OIDCClientRepresentation client = MetadataDocument.read(json(document), url(URL), settings, KEYCLOAK);
        assertEquals(List.of(kept.split(" ")), client.getGrantTypes());
    }

    /**
     * A document cannot make a machine client: client_credentials (which Keycloak's converter would turn into a service
     * account) is dropped with the other grants a public client cannot use; the client shape then turns service
     * accounts off whatever came in.
     */
    @org.junit.jupiter.api.Test
    void aDocumentListingClientCredentialsGetsNoServiceAccount() throws Exception {
        OIDCClientRepresentation client = MetadataDocument.read(json("""
                {"client_id":"%s","client_name":"Agent","redirect_uris":["http://127.0.0.1/cb"],
                 "grant_types":["client_credentials","authorization_code"],"token_endpoint_auth_method":"none"}""".formatted(URL)),
                url(URL), McpRealmSettings.DEFAULTS, KEYCLOAK);
        assertEquals(List.of("authorization_code"), client.getGrantTypes());
        Refusal onlyClientCredentials = assertThrows(Refusal.class, () -> MetadataDocument.read(json("""
                {"client_id":"%s","client_name":"Agent","redirect_uris":["http://127.0.0.1/cb"],
                 "grant_types":["client_credentials"],"token_endpoint_auth_method":"none"}""".formatted(URL)),
                url(URL), McpRealmSettings.DEFAULTS, KEYCLOAK));
        assertEquals("invalid_client_metadata", onlyClientCredentials.error());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"client_id":"https://other.example/oauth/metadata.json","client_name":"X","redirect_uris":["http://127.0.0.1/cb"]}                | does not equal the URL
            {"client_id":"https://client.example/oauth/metadata.json/","client_name":"X","redirect_uris":["http://127.0.0.1/cb"]}              | does not equal the URL
            {"client_name":"X","redirect_uris":["http://127.0.0.1/cb"]}                                                                        | does not equal the URL
            {"client_id":"%s","redirect_uris":["http://127.0.0.1/cb"]}                                                                         | has no client_name
            {"client_id":"%s","client_name":" ","redirect_uris":["http://127.0.0.1/cb"]}                                                       | has no client_name
            {"client_id":"%s","client_name":"X"}                                                                                               | redirect_uris is required
            {"client_id":"%s","client_name":"X","redirect_uris":["http://evil.example/cb"]}                                                    | only allowed for loopback
            {"client_id":"%s","client_name":"X","redirect_uris":["javascript:alert(1)"]}                                                       | not allowed
            {"client_id":"%s","client_name":"X","redirect_uris":["http://127.0.0.1/cb"],"token_endpoint_auth_method":"private_key_jwt"}       | allows no token_endpoint_auth_method
            {"client_id":"%s","client_name":"X","redirect_uris":["http://127.0.0.1/cb"],"token_endpoint_auth_methods_supported":["client_secret_basic"]} | allows no token_endpoint_auth_method
            {"client_id":"%s","client_name":"X","redirect_uris":["http://127.0.0.1/cb"],"grant_types":["client_credentials"]}                 | do not include 'authorization_code'
            {"client_id":"%s","client_name":"X","redirect_uris":["http://127.0.0.1/cb"],"response_types":["token"]}                           | do not include 'code'
            {"client_id":"%s","client_name":"X ${realm.displayName}","redirect_uris":["http://127.0.0.1/cb"]}                                  | must not contain '${'
            {"client_id":"%s","client_name":"X","redirect_uris":"http://127.0.0.1/cb"}                                                         | member 'redirect_uris' has the wrong type
            {"client_id":"%s","client_name":"X","redirect_uris":["http://127.0.0.1/cb"],"scope":5}                                            | member 'scope' has the wrong type
            {"client_id":"%s","client_name":"X","redirect_uris":["http://127.0.0.1/cb"],"grant_types":"authorization_code"}                   | member 'grant_types' has the wrong type
            {"client_id":"%s","client_name":"X","redirect_uris":["http://127.0.0.1/cb"],"response_types":"code"}                              | member 'response_types' has the wrong type
            {"client_id":"%s","client_name":"X","redirect_uris":["http://localhost:8080/realms/mcp/protocol/openid-connect/auth"]}            | points at this server itself
            {"client_id":"%s","client_name":"X","redirect_uris":["http://127.0.0.1:8080/cb"]}                                                 | points at this server itself
            {"client_id":"%s","client_name":"X","redirect_uris":["https://app.example/cb?next=1"]}                                            | must not contain a query
            """)
    void documentsThatCannotDescribeAnMcpClientAreRefused(String document, String reason) throws Exception {
        Refusal refusal = assertThrows(Refusal.class,
                () -> MetadataDocument.read(json(document.replace("%s", URL)), url(URL), McpRealmSettings.DEFAULTS, KEYCLOAK));
        assertTrue(refusal.getMessage().contains(reason), refusal.getMessage());
    }

    private static ObjectNode json(String text) throws Exception {
        return ClientMetadataJson.read(text);
    }

    private static ClientIdUrl url(String url) {
        try {
            return ClientIdUrl.parse(url, false);
        } catch (Refusal refusal) {
            throw new IllegalArgumentException(refusal.description());
        }
    }
}
