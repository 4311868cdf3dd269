package dev.keycloakmcp.sample;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;

/** The sample's tools. The signed-in user reaches them through the MCP transport context, never a global. */
public final class SampleTools {

    private SampleTools() {
    }

    public static List<SyncToolSpecification> all() {
        return List.of(whoami(), echo());
    }

    static SyncToolSpecification whoami() {
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name("whoami")
                .description("Returns the username of the person who authorized this MCP client")
                .inputSchema(Map.of("type", "object", "properties", Map.of()))
                .build();
        return SyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> text(grant(exchange.transportContext()).username()))
                .build();
    }

    static SyncToolSpecification echo() {
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name("echo")
                .description("Returns the given text")
                .inputSchema(Map.of("type", "object",
                        "properties", Map.of("text", Map.of("type", "string", "description", "Text to echo")),
                        "required", List.of("text")))
                .build();
        return SyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> text(String.valueOf(request.arguments().get("text"))))
                .build();
    }

    private static AccessGrant grant(McpTransportContext context) {
        Object grant = context.get(AccessGrant.CONTEXT_KEY);
        if (!(grant instanceof AccessGrant accessGrant)) {
            // The bearer filter guards every MCP request; reaching a tool without a grant is a wiring bug.
            throw new IllegalStateException("No access grant in the MCP transport context");
        }
        return accessGrant;
    }

    private static McpSchema.CallToolResult text(String text) {
        return McpSchema.CallToolResult.builder().addTextContent(text).build();
    }
}
