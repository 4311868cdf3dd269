package dev.keycloakmcp.sample.protocol;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * The fields MCP 2026-07-28 adds to every result, which SDK 2.1.0 does not write: {@code resultType},
 * the server's identity in {@code _meta}, and on cacheable results {@code ttlMs} and {@code cacheScope}.
 */
final class ModernResult {

    static final String SERVER_INFO_META = "io.modelcontextprotocol/serverInfo";
    /** The sample's tools and capabilities are fixed while it runs; a client may reuse them this long. */
    static final Duration TTL = Duration.ofMinutes(5);
    /** Results the spec makes cacheable (CacheableResult) among the methods the sample serves. */
    private static final Set<String> CACHEABLE = Set.of(ModernRequest.DISCOVER, "tools/list", "prompts/list", "resources/list",
            "resources/read", "resources/templates/list");

    private final McpSchema.Implementation serverInfo;

    ModernResult(McpSchema.Implementation serverInfo) {
        this.serverInfo = serverInfo;
    }

    /** {@code result} with the 2026-07-28 fields added where missing. */
    Map<String, Object> complete(String method, Map<?, ?> result) {
        Map<String, Object> completed = new LinkedHashMap<>();
        result.forEach((key, value) -> completed.put(String.valueOf(key), value));
        completed.putIfAbsent("resultType", "complete");
        Map<String, Object> meta = new LinkedHashMap<>();
        if (completed.get("_meta") instanceof Map<?, ?> existing) {
            existing.forEach((key, value) -> meta.put(String.valueOf(key), value));
        }
        meta.putIfAbsent(SERVER_INFO_META, Map.of("name", serverInfo.name(), "version", serverInfo.version()));
        completed.put("_meta", meta);
        if (CACHEABLE.contains(method)) {
            completed.putIfAbsent("ttlMs", TTL.toMillis());
            // Served only to authorized callers: no shared cache may hand it to another authorization context.
            completed.putIfAbsent("cacheScope", "private");
        }
        return completed;
    }
}
