package dev.keycloakmcp.clientpolicy;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.clientpolicy.condition.AbstractClientPolicyConditionProviderFactory;
import org.keycloak.services.clientpolicy.condition.ClientPolicyConditionProvider;

public class McpClientConditionFactory extends AbstractClientPolicyConditionProviderFactory {

    public static final String ID = "mcp-client";

    private static final List<ProviderConfigProperty> CONFIG = new ArrayList<>();

    static {
        addCommonConfigProperties(CONFIG);
    }

    @Override
    public ClientPolicyConditionProvider create(KeycloakSession session) {
        return new McpClientCondition(session);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "Matches MCP clients: clients registered through the MCP registration endpoint and clients an admin "
                + "marked with the attribute mcp.client.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
