package dev.keycloakmcp.offline;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

import dev.keycloakmcp.model.McpRequiredAction;

/**
 * The {@code mcp-offline-access-fallback} required action (Authentication → Required actions), which every MCP realm
 * gets (see {@link McpRequiredAction}); the additive install script registers it too. Disabled, an MCP client's
 * {@code offline_access} request for a user without the role fails at the code exchange, as in stock Keycloak.
 */
public class OfflineAccessFallbackFactory implements RequiredActionFactory {

    public static final String ID = "mcp-offline-access-fallback";
    public static final McpRequiredAction ACTION = new McpRequiredAction(ID,
            "MCP: an ordinary refresh token when the user may not have offline_access");
    private static final OfflineAccessFallback INSTANCE = new OfflineAccessFallback();

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
