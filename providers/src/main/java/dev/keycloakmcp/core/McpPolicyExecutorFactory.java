package dev.keycloakmcp.core;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProviderFactory;

/**
 * The factory of one of the pack's client-policy executors ({@link McpClientPolicy}), with nothing to configure: the
 * client profile names them, and they stand aside on a Keycloak that has the authorization-endpoint check SPI.
 */
public abstract class McpPolicyExecutorFactory implements ClientPolicyExecutorProviderFactory {

    private final String id;
    private final String helpText;

    protected McpPolicyExecutorFactory(String id, String helpText) {
        this.id = id;
        this.helpText = helpText;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public String getHelpText() {
        return "keycloak-mcp, Keycloak before 26.7: " + helpText + " Nothing to configure; it stands aside on Keycloak 26.7, "
                + "where the pack's own checks do this.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
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
}
