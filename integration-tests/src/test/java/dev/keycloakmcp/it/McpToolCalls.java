package dev.keycloakmcp.it;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;

/** Calls tools the way an MCP client does once it holds a token: the MCP Java SDK's client over Streamable HTTP. */
final class McpToolCalls {

    private McpToolCalls() {
    }

    static String callText(String mcpUrl, String accessToken, String tool, Map<String, Object> arguments) {
        URI uri = URI.create(mcpUrl);
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder(uri.getScheme() + "://" + uri.getRawAuthority())
                .endpoint(uri.getRawPath())
                .httpRequestCustomizer((request, method, endpoint, body, context) -> request.header("Authorization", "Bearer " + accessToken))
                .build();
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build()) {
            client.initialize();
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
            return ((McpSchema.TextContent) result.content().get(0)).text();
        }
    }
}
