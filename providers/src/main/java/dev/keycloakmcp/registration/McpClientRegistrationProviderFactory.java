package dev.keycloakmcp.registration;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.clientregistration.ClientRegistrationProvider;
import org.keycloak.services.clientregistration.ClientRegistrationProviderFactory;

/** Registers the MCP registration endpoint next to Keycloak's own, leaving {@code openid-connect} as it is. */
public class McpClientRegistrationProviderFactory implements ClientRegistrationProviderFactory {

    public static final String ID = "mcp";

    @Override
    public ClientRegistrationProvider create(KeycloakSession session) {
        return new McpClientRegistrationProvider(session);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
