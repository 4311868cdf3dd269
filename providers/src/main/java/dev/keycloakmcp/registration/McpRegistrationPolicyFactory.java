package dev.keycloakmcp.registration;

import java.util.List;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.clientregistration.policy.AbstractClientRegistrationPolicyFactory;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;

import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.core.KeycloakLine;
import dev.keycloakmcp.core.McpRealmSetup;

/** The factory of the {@code mcp-client-registration} anonymous policy, the console form of {@link McpRealmSettings}. */
public class McpRegistrationPolicyFactory extends AbstractClientRegistrationPolicyFactory {

    public static final String ID = McpRealmSettings.POLICY_ID;
    static final String WEB_ORIGINS = "web-origins";

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property()
            .name(WEB_ORIGINS)
            .label("Browser origins allowed to register")
            .helpText("Origins of browser-based MCP clients (such as MCP Inspector at http://localhost:6274) that may call "
                    + "the registration endpoint with CORS. Native MCP clients do not need an entry.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .add()
            .property()
            .name(McpRealmSettings.PRIVATE_USE_SCHEMES)
            .label("Extra redirect URI schemes")
            .helpText("Private-use redirect URI schemes allowed besides reverse-domain ones (com.example.app:/cb) and Cursor's "
                    + "cursor:, which are always allowed, e.g. vscode. javascript, data, file and similar schemes are never allowed.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .add()
            .property()
            .name(McpRealmSettings.ALLOW_CONFIDENTIAL)
            .label("Allow confidential MCP clients")
            .helpText("Let a client that asks for client_secret_basic or client_secret_post get a client secret. Off: every "
                    + "registered client is public and proves itself with PKCE.")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue(false)
            .add()
            .property()
            .name(McpRealmSettings.MAX_MCP_CLIENTS)
            .label("Maximum self-registered MCP clients")
            .helpText("Registrations are refused (403) once the realm has this many self-registered MCP clients (registered, or created from metadata documents). 0: no cap.")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue(String.valueOf(McpRealmSettings.DEFAULT_MAX_MCP_CLIENTS))
            .add()
            .property()
            .name(McpRealmSettings.REGISTRATIONS_PER_MINUTE)
            .label("Registrations per address and minute")
            .helpText("More registration attempts from one source address within a minute get 429 with Retry-After. 0: no limit.")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue(String.valueOf(McpRealmSettings.DEFAULT_REGISTRATIONS_PER_MINUTE))
            .add()
            .property()
            .name(McpRealmSettings.UNUSED_CLIENT_LIFESPAN)
            .label("Remove unused MCP clients after (seconds)")
            .helpText("A self-registered MCP client (registered, or created from a metadata document) that got no token for this long is removed (needs the mcp-client-usage "
                    + "event listener on the realm). Default 2592000 (30 days). 0: never.")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue(String.valueOf(McpRealmSettings.DEFAULT_UNUSED_CLIENT_LIFESPAN))
            .add()
            .property()
            .name(McpRealmSettings.REQUIRE_RESOURCE)
            .label("Require resource")
            .helpText("Refuse MCP clients' authorization requests that do not name an MCP server with the RFC 8707 'resource' "
                    + "parameter (invalid_target). MCP clients send it; off by default so that older clients still get a token.")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue(false)
            .add()
            .property()
            .name(McpRealmSettings.DEVICE_GRANT)
            .label("Device grant for MCP clients")
            .helpText("Let MCP clients register for and use the RFC 8628 device grant (urn:ietf:params:oauth:grant-type:device_code), "
                    + "for agents without a browser: the user enters a code on another device and sees the usual MCP consent page. "
                    + "Off: the grant is refused (unauthorized_client), also to clients that registered for it while it was on; "
                    + "tokens already issued keep refreshing until revoked on the MCP access page.")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue(false)
            .add()
            .property()
            .name(McpRealmSettings.CLIENT_CREDENTIALS)
            .label("Client credentials for MCP machine clients")
            .helpText("Let MCP machine clients (confidential clients an admin creates for CI jobs and agents, see the MCP "
                    + "admin API's machine-clients) get tokens for the MCP servers they are allowed with the client_credentials "
                    + "grant, and advertise the grant, private_key_jwt and client_secret_basic in the metadata. Self-registered "
                    + "MCP clients never get the grant.")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue(false)
            .add()
            .build();

    /** The pack's one startup step: every MCP realm gets what the server adds to it ({@link McpRealmSetup}). */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        super.postInit(factory);
        KeycloakLine.reportAtStart();
        McpRealmSetup.atStartup(factory);
    }

    @Override
    public ClientRegistrationPolicy create(KeycloakSession session, ComponentModel model) {
        return new McpRegistrationPolicy(model);
    }

    @Override
    public String getHelpText() {
        return "Opens anonymous registration to MCP clients at the MCP registration endpoint only (where every client "
                + "is made public, PKCE S256, consent-required, with the realm's MCP scopes); the stock endpoint stays closed.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public String getId() {
        return ID;
    }
}
