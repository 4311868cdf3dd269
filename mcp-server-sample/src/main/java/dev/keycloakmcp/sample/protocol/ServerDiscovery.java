package dev.keycloakmcp.sample.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * The answer to {@code server/discover}, which MCP 2026-07-28 servers MUST implement and SDK 2.1.0 does not know
 * (its stateless server answers {@code -32601}, its session transport wants a session first). Lists only the
 * stateless version: 2025-xx versions are reached through {@code initialize}, not per request.
 */
final class ServerDiscovery {

    private final McpSchema.ServerCapabilities capabilities;
    private final ModernResult results;

    ServerDiscovery(McpSchema.ServerCapabilities capabilities, ModernResult results) {
        this.capabilities = capabilities;
        this.results = results;
    }

    /** The {@code DiscoverResult}. */
    Map<String, Object> result() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("supportedVersions", List.of(ModernRequest.VERSION));
        result.put("capabilities", capabilities);
        return results.complete(ModernRequest.DISCOVER, result);
    }
}
