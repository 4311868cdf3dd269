package dev.keycloakmcp.consent;

import dev.keycloakmcp.core.McpRealmSetup;
import dev.keycloakmcp.core.McpRequiredActionFactory;

/**
 * The factory of the {@code mcp-consent-every-time} required action, which every MCP realm gets ({@link McpRealmSetup}).
 * An admin may disable it under Authentication → Required actions.
 */
public class ConsentEveryTimeFactory extends McpRequiredActionFactory {

    public ConsentEveryTimeFactory() {
        super(McpRealmSetup.CONSENT_EVERY_TIME, new ConsentEveryTime());
    }
}
