package dev.keycloakmcp.sample.auth;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.modelcontextprotocol.json.McpJsonMapper;

/**
 * The scopes one MCP request needs: the server's base scope for anything, plus the scopes of every tool it calls.
 * Decided from the JSON-RPC body before the MCP SDK sees it, because a missing scope must be answered with HTTP
 * 403 and a {@code WWW-Authenticate} challenge (MCP step-up), which a tool handler cannot produce. A body that is
 * not JSON-RPC needs only the base scope: the SDK refuses it anyway.
 */
public final class RequiredScopes {

    private final String baseScope;
    private final Map<String, Set<String>> toolScopes;
    private final McpJsonMapper json;

    /** @param toolScopes per tool name, the scopes it needs beyond the base scope */
    public RequiredScopes(String baseScope, Map<String, Set<String>> toolScopes, McpJsonMapper json) {
        this.baseScope = baseScope;
        this.toolScopes = Map.copyOf(toolScopes);
        this.json = json;
    }

    public Set<String> base() {
        return Set.of(baseScope);
    }

    public Set<String> of(byte[] body) {
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add(baseScope);
        if (body.length == 0) {
            return scopes;
        }
        Object message;
        try {
            message = json.readValue(body, Object.class);
        } catch (IOException | RuntimeException e) {
            return scopes;
        }
        // A JSON array is a batch (MCP 2025-03-26): every call in it counts.
        for (Object item : message instanceof List<?> batch ? batch : List.of(message)) {
            if (item instanceof Map<?, ?> request && "tools/call".equals(request.get("method"))
                    && request.get("params") instanceof Map<?, ?> params && params.get("name") instanceof String tool) {
                scopes.addAll(toolScopes.getOrDefault(tool, Set.of()));
            }
        }
        return scopes;
    }

    /** The scopes of {@code required} that {@code granted} lacks. */
    public static Set<String> missing(Set<String> required, Collection<String> granted) {
        Set<String> missing = new LinkedHashSet<>(required);
        missing.removeAll(granted);
        return missing;
    }
}
