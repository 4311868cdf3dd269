package dev.keycloakmcp.resourceserver;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scopes one MCP request needs: the server's base scope for anything, plus the scopes of every tool it calls.
 * Decided from the JSON-RPC body ({@link McpRequestBody}) before the MCP SDK sees it, because a missing scope must
 * be answered with HTTP 403 and a {@code WWW-Authenticate} challenge (MCP step-up), which a tool handler cannot
 * produce. A call of an unknown tool needs only the base scope (the SDK refuses it); a call whose tool name is not
 * a string needs every tool's scopes.
 */
public final class RequiredScopes {

    private final String baseScope;
    private final Map<String, Set<String>> toolScopes;

    /** @param toolScopes per tool name, the scopes it needs beyond the base scope */
    public RequiredScopes(String baseScope, Map<String, Set<String>> toolScopes) {
        this.baseScope = baseScope;
        this.toolScopes = Map.copyOf(toolScopes);
    }

    /** The scope every request needs, whatever it calls. */
    public Set<String> base() {
        return Set.of(baseScope);
    }

    /** The scopes a parsed JSON-RPC message (or batch) needs. */
    public Set<String> of(Object message) {
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add(baseScope);
        // A JSON array is a batch (MCP 2025-03-26): every call in it counts.
        for (Object item : message instanceof List<?> batch ? batch : List.of(message)) {
            if (item instanceof Map<?, ?> request && "tools/call".equals(request.get("method"))) {
                Object tool = request.get("params") instanceof Map<?, ?> params ? params.get("name") : null;
                if (tool instanceof String name) {
                    scopes.addAll(toolScopes.getOrDefault(name, Set.of()));
                } else {
                    // Not a plain tool name: whatever the SDK makes of it, it gets no more than every tool's scopes.
                    toolScopes.values().forEach(scopes::addAll);
                }
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
