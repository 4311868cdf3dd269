package dev.keycloakmcp.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.representations.oidc.OIDCClientRepresentation;

import dev.keycloakmcp.core.KeycloakOrigins;
import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.core.RefusalAssertions;

/** How the admin's settings and the client's application_type change what a registration may ask for. */
class RegistrationSettingsRulesTest {

    /** Keycloak as in the demo: http://localhost:8080. */
    static final KeycloakOrigins KEYCLOAK = KeycloakOrigins.of(List.of(URI.create("http://localhost:8080/")));

    private static OIDCClientRepresentation parse(String body) throws Refusal {
        return RegistrationRequest.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private static final McpRealmSettings CURSOR_AND_SECRETS = new McpRealmSettings(Set.of("cursor"), true, 10, 10, 60, false, false, false);

    @ParameterizedTest(name = "{0} as {1}: {2}")
    @CsvSource({
            "https://claude.ai/api/mcp/auth_callback, web, accepted",
            "http://localhost:3000/cb, web, refused",
            "https://localhost:3000/cb, web, refused",
            "com.example.app:/cb, web, refused",
            "http://localhost:3000/cb, native, accepted",
            "com.example.app:/cb, native, accepted",
            "https://claude.ai/api/mcp/auth_callback, native, accepted",
            "http://127.0.0.1:3000/cb, , accepted"
    })
    void applicationTypeDecidesTheRedirectRules(String redirectUri, String applicationType, String outcome) {
        Optional<String> refusal = refusalFor(RedirectUriRules.of(applicationType, Set.of(), KEYCLOAK), redirectUri);
        assertEquals(outcome.equals("refused"), refusal.isPresent(), refusal.orElse(""));
    }

    @Test
    void adminSchemesAllowedButNeverDangerousOnes() {
        RedirectUriRules rules = RedirectUriRules.of("native", Set.of("vscode", "javascript", "file"), KEYCLOAK);
        assertEquals(Optional.empty(), refusalFor(rules, "vscode://vscode.github-authentication/did-authenticate"));
        assertTrue(refusalFor(rules, "javascript:alert(1)").isPresent());
        assertTrue(refusalFor(rules, "file:///etc/passwd").isPresent());
        assertTrue(refusalFor(RedirectUriRules.of(null, Set.of(), KEYCLOAK), "vscode://vscode.github-authentication/did-authenticate").isPresent());
        // Cursor's scheme needs no setting.
        assertEquals(Optional.empty(), refusalFor(RedirectUriRules.of(null, Set.of(), KEYCLOAK), "cursor://anysphere.cursor-retrieval/oauth/callback"));
    }

    private static final McpRealmSettings DEVICE_GRANT = new McpRealmSettings(Set.of(), false, 10, 10, 60, false, true, false);

    /** The device grant only where the admin allows it; client credentials and the other grants never. */
    @ParameterizedTest(name = "{0}, device grant allowed: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            "authorization_code","refresh_token"                                                        | false | accepted
            "urn:ietf:params:oauth:grant-type:device_code","refresh_token"                              | false | refused
            "urn:ietf:params:oauth:grant-type:device_code","refresh_token"                              | true  | accepted
            "authorization_code","refresh_token","urn:ietf:params:oauth:grant-type:device_code"         | true  | accepted
            "urn:ietf:params:oauth:grant-type:device_code","client_credentials"                         | true  | refused
            "client_credentials"                                                                        | true  | refused
            "password"                                                                                  | true  | refused
            "urn:ietf:params:oauth:grant-type:jwt-bearer"                                               | true  | refused
            """)
    void theDeviceGrantOnlyWhereTheAdminAllowsIt(String grants, boolean deviceGrant, String outcome) throws Refusal {
        OIDCClientRepresentation request = parse("{\"redirect_uris\":[\"http://127.0.0.1:3000/cb\"],\"grant_types\":[" + grants + "]}");
        McpRealmSettings settings = deviceGrant ? DEVICE_GRANT : McpRealmSettings.DEFAULTS;
        if (outcome.equals("accepted")) {
            RegistrationRequest.check(request, null, settings, KEYCLOAK);
            assertEquals(request.getGrantTypes(), RegistrationRequest.asMcpClient(request, settings).getGrantTypes());
        } else {
            assertEquals("invalid_client_metadata",
                    assertThrows(Refusal.class, () -> RegistrationRequest.check(request, null, settings, KEYCLOAK)).error());
        }
    }

    @Test
    void clientSecretsOnlyWhenTheAdminAllowsThem() throws Refusal {
        OIDCClientRepresentation wantsSecret = parse(
                "{\"redirect_uris\":[\"http://localhost/cb\"],\"token_endpoint_auth_method\":\"client_secret_post\"}");
        assertEquals("none", RegistrationRequest.asMcpClient(wantsSecret, McpRealmSettings.DEFAULTS).getTokenEndpointAuthMethod());
        assertEquals("client_secret_post", RegistrationRequest.asMcpClient(wantsSecret, CURSOR_AND_SECRETS).getTokenEndpointAuthMethod());

        OIDCClientRepresentation wantsKeys = parse(
                "{\"redirect_uris\":[\"http://localhost/cb\"],\"token_endpoint_auth_method\":\"private_key_jwt\"}");
        assertEquals("invalid_client_metadata",
                assertThrows(Refusal.class, () -> RegistrationRequest.check(wantsKeys, null, CURSOR_AND_SECRETS, KEYCLOAK)).error());
    }

    @Test
    void unknownApplicationTypeAndHugeBodiesAreRefused() throws Refusal {
        OIDCClientRepresentation odd = parse("{\"redirect_uris\":[\"http://localhost/cb\"],\"application_type\":\"tv\"}");
        assertEquals("invalid_client_metadata",
                assertThrows(Refusal.class, () -> RegistrationRequest.check(odd, null, McpRealmSettings.DEFAULTS, KEYCLOAK)).error());
        String huge = "{\"redirect_uris\":[\"http://localhost/cb\"],\"x\":\"" + "a".repeat(RegistrationRequest.MAX_BODY_LENGTH) + "\"}";
        assertEquals("invalid_client_metadata", assertThrows(Refusal.class, () -> parse(huge)).error());
    }

    /** The rules' refusal of {@code redirectUris}, if any. */
    private static Optional<String> refusalFor(RedirectUriRules rules, List<String> redirectUris) {
        return Optional.ofNullable(RefusalAssertions.refusalOf(() -> rules.requireAcceptable(redirectUris)));
    }

    private static Optional<String> refusalFor(RedirectUriRules rules, String redirectUri) {
        return Optional.ofNullable(RefusalAssertions.refusalOf(() -> rules.requireAcceptable(redirectUri)));
    }
}
