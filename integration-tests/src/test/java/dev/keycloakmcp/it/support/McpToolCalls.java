package dev.keycloakmcp.it.support;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;

/** Calls tools the way an MCP client does once it holds a token: the MCP Java SDK's client over Streamable HTTP. */
public final class McpToolCalls {

    private McpToolCalls() {
    }

    public static String callText(String mcpUrl, String accessToken, String tool, Map<String, Object> arguments) {
        try (McpSyncClient client = client(mcpUrl, accessToken)) {
            client.initialize();
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
            return ((McpSchema.TextContent) result.content().get(0)).text();
        }
    }

    /** The whole result of one call, error results included. */
    public static McpSchema.CallToolResult call(String mcpUrl, String accessToken, String tool, Map<String, Object> arguments) {
        try (McpSyncClient client = client(mcpUrl, accessToken)) {
            client.initialize();
            return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
        }
    }

    /** The server's tools by name, as {@code tools/list} describes them. */
    public static Map<String, McpSchema.Tool> listTools(String mcpUrl, String accessToken) {
        try (McpSyncClient client = client(mcpUrl, accessToken)) {
            client.initialize();
            return client.listTools().tools().stream().collect(Collectors.toMap(McpSchema.Tool::name, Function.identity()));
        }
    }

    private static McpSyncClient client(String mcpUrl, String accessToken) {
        URI uri = URI.create(mcpUrl);
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder(uri.getScheme() + "://" + uri.getRawAuthority())
                .endpoint(uri.getRawPath())
                .httpRequestCustomizer((request, method, endpoint, body, context) -> request.header("Authorization", "Bearer " + accessToken))
                .build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build();
    }
}
