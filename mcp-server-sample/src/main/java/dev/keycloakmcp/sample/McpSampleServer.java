package dev.keycloakmcp.sample;

import java.util.EnumSet;
import java.util.Map;

import jakarta.servlet.DispatcherType;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * A Streamable HTTP MCP server on Jetty, protected by Keycloak. Start it with {@link #start(SampleServerConfig)}
 * (tests, the demo) or {@link #main(String[])}.
 */
public final class McpSampleServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(McpSampleServer.class);

    private final Server jetty;
    private final McpSyncServer mcp;
    private final SampleServerConfig config;

    private McpSampleServer(Server jetty, McpSyncServer mcp, SampleServerConfig config) {
        this.jetty = jetty;
        this.mcp = mcp;
        this.config = config;
    }

    public static McpSampleServer start(SampleServerConfig config) throws Exception {
        return start(config, TokenIntrospector.discover(config));
    }

    static McpSampleServer start(SampleServerConfig config, TokenIntrospector introspector) throws Exception {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint(config.mcpPath())
                .contextExtractor(request -> {
                    Object grant = request.getAttribute(AccessGrant.CONTEXT_KEY);
                    return grant == null ? McpTransportContext.EMPTY : McpTransportContext.create(Map.of(AccessGrant.CONTEXT_KEY, grant));
                })
                .build();
        McpSyncServer mcp = McpServer.sync(transport)
                .serverInfo("keycloak-mcp-sample", "0.1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(SampleTools.all())
                .build();

        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(config.host());
        connector.setPort(config.port());
        jetty.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder mcpServlet = new ServletHolder("mcp", transport);
        mcpServlet.setAsyncSupported(true);
        context.addServlet(mcpServlet, config.mcpPath());
        FilterHolder bearer = new FilterHolder(new BearerTokenFilter(config, introspector));
        bearer.setAsyncSupported(true);
        context.addFilter(bearer, config.mcpPath(), EnumSet.of(DispatcherType.REQUEST));
        ServletHolder metadata = new ServletHolder("protected-resource-metadata", new ProtectedResourceMetadataServlet(config));
        context.addServlet(metadata, "/.well-known/oauth-protected-resource");
        if (!config.mcpPath().equals("/")) {
            context.addServlet(metadata, "/.well-known/oauth-protected-resource" + config.mcpPath());
        }
        jetty.setHandler(context);
        jetty.start();
        return new McpSampleServer(jetty, mcp, config);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public SampleServerConfig config() {
        return config;
    }

    @Override
    public void close() throws Exception {
        mcp.closeGracefully();
        jetty.stop();
    }

    public static void main(String[] args) throws Exception {
        SampleServerConfig config;
        McpSampleServer server;
        try {
            config = SampleServerConfig.fromEnvironment(args, System.getenv());
            server = start(config);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("mcp-server-sample: " + e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info("MCP server listening at {} (authorization server {})", config.resource(), config.issuer());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                LOG.warn("Error while stopping: {}", e.getMessage());
            }
        }));
        server.jetty.join();
    }
}
