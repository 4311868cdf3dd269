package dev.keycloakmcp.consent;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

import dev.keycloakmcp.model.McpRequiredAction;

/**
 * The {@code mcp-consent-every-time} required action (Authentication → Required actions; an admin may disable it),
 * which every MCP realm gets (see {@link McpRequiredAction}); the additive install script registers it too.
 */
public class ConsentEveryTimeFactory implements RequiredActionFactory {

    public static final String ID = "mcp-consent-every-time";
    public static final McpRequiredAction ACTION = new McpRequiredAction(ID,
            "MCP: ask for consent on every authorization by a self-registered client");
    private static final ConsentEveryTime INSTANCE = new ConsentEveryTime();

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayText() {
        return ACTION.displayText();
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return INSTANCE;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        ACTION.addToMcpRealms(factory);
    }

    @Override
    public void close() {
    }
}
