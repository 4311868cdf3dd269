package dev.keycloakmcp.audience;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProviderFactory;

public class ResourceBindingExecutorFactory implements ClientPolicyExecutorProviderFactory {

    public static final String ID = "mcp-resource-binding";
    static final String REQUIRE_RESOURCE = "require-resource";

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property()
            .name(REQUIRE_RESOURCE)
            .label("Require resource")
            .helpText("Refuse authorization requests that do not name an MCP server with the 'resource' parameter. "
                    + "MCP clients always send it; off by default so that older clients still get a token.")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue(false)
            .add()
            .build();

    @Override
    public ClientPolicyExecutorProvider create(KeycloakSession session) {
        return new ResourceBindingExecutor(session);
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

    @Override
    public String getHelpText() {
        return "Refuses RFC 8707 'resource' values that name no MCP server registered in the realm (invalid_target).";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
