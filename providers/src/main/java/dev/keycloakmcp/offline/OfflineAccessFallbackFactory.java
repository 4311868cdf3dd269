package dev.keycloakmcp.offline;

import dev.keycloakmcp.model.McpRequiredAction;
import dev.keycloakmcp.model.McpRequiredActionFactory;

/**
 * The {@code mcp-offline-access-fallback} required action (Authentication → Required actions), which every MCP realm
 * gets (see {@link McpRequiredAction}); the additive install script registers it too. Disabled, an MCP client's
 * {@code offline_access} request for a user without the role fails at the code exchange, as in stock Keycloak.
 */
public class OfflineAccessFallbackFactory extends McpRequiredActionFactory {

    public static final McpRequiredAction ACTION = new McpRequiredAction("mcp-offline-access-fallback",
            "MCP: an ordinary refresh token when the user may not have offline_access");

    public OfflineAccessFallbackFactory() {
        super(ACTION, new OfflineAccessFallback());
    }
}
