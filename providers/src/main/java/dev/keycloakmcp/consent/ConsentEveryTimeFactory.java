package dev.keycloakmcp.consent;

import dev.keycloakmcp.core.McpRealmSetup;
import dev.keycloakmcp.core.McpRequiredActionFactory;

/**
 * The {@code mcp-consent-every-time} required action (Authentication → Required actions; an admin may disable it),
 * which every MCP realm gets ({@link McpRealmSetup}).
 */
public class ConsentEveryTimeFactory extends McpRequiredActionFactory {

    public ConsentEveryTimeFactory() {
        super(McpRealmSetup.CONSENT_EVERY_TIME, new ConsentEveryTime());
    }
}
