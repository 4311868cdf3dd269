package dev.keycloakmcp.spring;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * Which scopes a JSON-RPC body needs: the base scope always, and each {@code tools/call}'s tool's own scope (a batch
 * needs the union). Decided from the body before any tool runs, so that a lacking scope is an HTTP 403 the client can
 * answer by step-up, not a JSON-RPC error from inside the tool.
 */
final class ToolScopes {

    private final String baseScope;
    private final Map<String, String> scopeByTool;

    /** {@code scopeByTool}: the extra scope a tool needs, for the tools that need one. */
    ToolScopes(String baseScope, Map<String, String> scopeByTool) {
        this.baseScope = baseScope;
        this.scopeByTool = Map.copyOf(scopeByTool);
    }

    /** Every scope {@code message} (a JSON-RPC message or batch) needs, the base scope first. */
    Set<String> requiredBy(JsonNode message) {
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add(baseScope);
        if (message.isArray()) {
            message.forEach(element -> addToolScope(element, scopes));
        } else {
            addToolScope(message, scopes);
        }
        return scopes;
    }

    private void addToolScope(JsonNode message, Set<String> scopes) {
        if (message.isObject() && "tools/call".equals(message.path("method").asString(null))) {
            JsonNode name = message.path("params").path("name");
            if (name.isString()) {
                String extra = scopeByTool.get(name.asString());
                if (extra != null) {
                    scopes.add(extra);
                }
            } else {
                // A name that is no string names no tool for this check: every tool's scope, never fewer (fail closed).
                scopes.addAll(scopeByTool.values());
            }
        }
    }
}
