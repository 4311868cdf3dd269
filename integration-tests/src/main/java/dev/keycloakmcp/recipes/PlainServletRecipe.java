package dev.keycloakmcp.recipes;

import java.util.List;
import java.util.Map;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

import dev.keycloakmcp.resourceserver.AccessGrant;
import dev.keycloakmcp.resourceserver.McpAuth;

/**
 * The plain-servlet recipe of docs/protect-your-mcp-server.md, as a whole MCP server (MCP Java SDK on Jetty): the
 * page copies {@link #start}'s body, and {@code LibraryRecipeIT} runs it against the test Keycloak, so the recipe is
 * what is tested. The benchmark of the library's overhead serves it too.
 */
public final class PlainServletRecipe implements AutoCloseable {

    private final Server jetty;
    private final McpSyncServer mcp;

    private PlainServletRecipe(Server jetty, McpSyncServer mcp) {
        this.jetty = jetty;
        this.mcp = mcp;
    }

    /**
     * @param issuer   the realm's issuer
     * @param resource the server's canonical URL, registered in the realm as an MCP server
     * @param secret   the secret of the server's client in the realm
     * @param port     where to listen (0: any free port)
     */
    public static PlainServletRecipe start(String issuer, String resource, String secret, int port) throws Exception {
        // 1. The guard: reads the realm's metadata and keys and tries the credentials now (a wrong setting fails here).
        McpAuth auth = McpAuth.builder(issuer, resource)
                .credentials(resource, secret)              // the MCP server's client in the realm: its id is its URL
                .toolScopes("add_note", "mcp:tools:write")  // beyond mcp:tools, which every request needs
                .build();

        // 2. The SDK's transport, with the caller copied into each request's MCP transport context.
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp")
                .contextExtractor(auth.contextExtractor())
                .build();
        McpSyncServer mcp = McpServer.sync(transport)
                .serverInfo("notes", "1.0.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tool("whoami", "Who signed in", (caller, arguments) -> caller.username()),
                        tool("echo", "Returns the text", (caller, arguments) -> String.valueOf(arguments.get("text"))),
                        tool("add_note", "Adds a note (needs mcp:tools:write)", (caller, arguments) -> "Noted for " + caller.username()))
                .build();

        // 3. The transport behind the guard at the MCP path, the metadata document at RFC 9728's paths.
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder protectedMcp = context.addServlet(auth.protect(transport), "/mcp");
        protectedMcp.setAsyncSupported(true);
        ServletHolder metadata = new ServletHolder(auth.metadataServlet());
        auth.metadataPaths().forEach(path -> context.addServlet(metadata, path));

        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setPort(port);
        jetty.addConnector(connector);
        jetty.setHandler(context);
        jetty.start();
        return new PlainServletRecipe(jetty, mcp);
    }

    /** What a tool does with its caller (from the transport context) and its arguments. */
    interface Handler {
        String apply(AccessGrant caller, Map<String, Object> arguments);
    }

    private static McpServerFeatures.SyncToolSpecification tool(String name, String description, Handler handler) {
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder().name(name).description(description)
                        .inputSchema(Map.of("type", "object", "properties", Map.of(), "required", List.of())).build())
                // The caller, as the guard verified it: user, client and scopes (never the token).
                .callHandler((exchange, request) -> McpSchema.CallToolResult.builder()
                        .addTextContent(handler.apply(AccessGrant.of(exchange.transportContext()), request.arguments()))
                        .build())
                .build();
    }

    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    @Override
    public void close() throws Exception {
        mcp.closeGracefully();
        jetty.stop();
    }
}
