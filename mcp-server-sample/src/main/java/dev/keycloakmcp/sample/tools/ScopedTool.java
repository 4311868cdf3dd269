package dev.keycloakmcp.sample.tools;

import java.util.Set;
import java.util.function.BiFunction;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;

import dev.keycloakmcp.sample.metrics.SampleMetrics;

/**
 * A tool and the scopes it needs beyond the server's base scope. The bearer filter checks them before the call
 * reaches the tool, so that a missing scope is an HTTP 403 challenge an MCP client can act on. The same tool is
 * served in MCP sessions (2025-xx clients) and statelessly (2026-07-28 clients); either way its handler sees only the
 * transport context, where the bearer filter put the caller's grant.
 */
public record ScopedTool(McpSchema.Tool tool, BiFunction<McpTransportContext, McpSchema.CallToolRequest, McpSchema.CallToolResult> handler,
        Set<String> extraScopes) {

    /** {@code _meta} key under which {@code tools/list} tells clients every scope a tool needs. */
    public static final String SCOPES_META_KEY = "dev.keycloakmcp/required-scopes";

    public ScopedTool {
        extraScopes = Set.copyOf(extraScopes);
    }

    public String name() {
        return tool.name();
    }

    /** The same tool, its calls counted in {@code metrics} by outcome. */
    public ScopedTool countedIn(SampleMetrics metrics) {
        BiFunction<McpTransportContext, McpSchema.CallToolRequest, McpSchema.CallToolResult> counted = (context, request) -> {
            McpSchema.CallToolResult result;
            try {
                result = handler.apply(context, request);
            } catch (RuntimeException e) {
                metrics.toolCall(name(), "failed");
                throw e;
            }
            metrics.toolCall(name(), Boolean.TRUE.equals(result.isError()) ? "error" : "ok");
            return result;
        };
        return new ScopedTool(tool, counted, extraScopes);
    }

    /** For the SDK's session-based server. */
    public McpServerFeatures.SyncToolSpecification specification() {
        return McpServerFeatures.SyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> handler.apply(exchange.transportContext(), request)).build();
    }

    /** For the SDK's stateless server. */
    public McpStatelessServerFeatures.SyncToolSpecification statelessSpecification() {
        return new McpStatelessServerFeatures.SyncToolSpecification(tool, handler);
    }
}
