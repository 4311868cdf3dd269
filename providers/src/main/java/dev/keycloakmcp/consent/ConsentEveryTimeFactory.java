package dev.keycloakmcp.consent;

import dev.keycloakmcp.model.McpRequiredAction;
import dev.keycloakmcp.model.McpRequiredActionFactory;

/**
 * The {@code mcp-consent-every-time} required action (Authentication → Required actions; an admin may disable it),
 * which every MCP realm gets (see {@link McpRequiredAction}); the additive install script registers it too.
 */
public class ConsentEveryTimeFactory extends McpRequiredActionFactory {

    public static final McpRequiredAction ACTION = new McpRequiredAction("mcp-consent-every-time",
            "MCP: ask for consent on every authorization by a self-registered client");

    public ConsentEveryTimeFactory() {
        super(ACTION, new ConsentEveryTime());
    }
}
