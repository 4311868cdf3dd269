package dev.keycloakmcp.sample.tools;

import java.util.Set;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;

/**
 * A tool and the scopes it needs beyond the server's base scope. The bearer filter checks them before the call
 * reaches the tool, so that a missing scope is an HTTP 403 challenge an MCP client can act on.
 */
public record ScopedTool(SyncToolSpecification specification, Set<String> extraScopes) {

    /** {@code _meta} key under which {@code tools/list} tells clients every scope a tool needs. */
    public static final String SCOPES_META_KEY = "dev.keycloakmcp/required-scopes";

    public ScopedTool {
        extraScopes = Set.copyOf(extraScopes);
    }

    public String name() {
        return specification.tool().name();
    }
}
