package dev.keycloakmcp.offline;

import dev.keycloakmcp.core.McpRealmSetup;
import dev.keycloakmcp.core.McpRequiredActionFactory;

/**
 * The {@code mcp-offline-access-fallback} required action (Authentication → Required actions), which every MCP realm
 * gets ({@link McpRealmSetup}). Disabled, an MCP client's {@code offline_access} request for a user without the role
 * fails at the code exchange, as in stock Keycloak.
 */
public class OfflineAccessFallbackFactory extends McpRequiredActionFactory {

    public OfflineAccessFallbackFactory() {
        super(McpRealmSetup.OFFLINE_ACCESS_FALLBACK, new OfflineAccessFallback());
    }
}
