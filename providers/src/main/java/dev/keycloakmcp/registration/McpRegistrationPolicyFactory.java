package dev.keycloakmcp.registration;

import java.util.List;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.clientregistration.policy.AbstractClientRegistrationPolicyFactory;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;

/** The {@code mcp-client-registration} registration policy, added to a realm's anonymous policies. */
public class McpRegistrationPolicyFactory extends AbstractClientRegistrationPolicyFactory {

    public static final String ID = "mcp-client-registration";
    static final String WEB_ORIGINS = "web-origins";

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property()
            .name(WEB_ORIGINS)
            .label("Browser origins allowed to register")
            .helpText("Origins of browser-based MCP clients (such as MCP Inspector at http://localhost:6274) that may call "
                    + "the registration endpoint with CORS. Native MCP clients do not need an entry.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .add()
            .build();

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
