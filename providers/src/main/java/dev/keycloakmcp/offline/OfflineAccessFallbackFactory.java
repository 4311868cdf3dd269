package dev.keycloakmcp.offline;

import dev.keycloakmcp.core.McpRealmSetup;
import dev.keycloakmcp.core.McpRequiredActionFactory;

/**
 * The factory of the {@code mcp-offline-access-fallback} required action, in every MCP realm ({@link McpRealmSetup}).
 * Disabled (Authentication → Required actions), an MCP client's {@code offline_access} request for a user without the
 * role fails at the code exchange, as in stock Keycloak.
 */
public class OfflineAccessFallbackFactory extends McpRequiredActionFactory {

    public OfflineAccessFallbackFactory() {
        super(McpRealmSetup.OFFLINE_ACCESS_FALLBACK, new OfflineAccessFallback());
    }
}
