package dev.keycloakmcp.sample;

import java.net.http.HttpClient;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

import dev.keycloakmcp.resourceserver.BearerTokenFilter;
import dev.keycloakmcp.resourceserver.IssuerMetadata;
import dev.keycloakmcp.resourceserver.McpAuth;
import dev.keycloakmcp.resourceserver.McpAuthSettings;
import dev.keycloakmcp.resourceserver.McpAuthSetupException;
import dev.keycloakmcp.resourceserver.RequiredScopes;
import dev.keycloakmcp.resourceserver.TokenIntrospector;
import dev.keycloakmcp.resourceserver.TokenVerifier;
import dev.keycloakmcp.sample.metrics.MetricsServlet;
import dev.keycloakmcp.sample.metrics.SampleMetrics;
import dev.keycloakmcp.sample.onbehalf.DownstreamProfile;
import dev.keycloakmcp.sample.onbehalf.SubjectToken;
import dev.keycloakmcp.sample.protocol.SessionMcpFilter;
import dev.keycloakmcp.sample.protocol.StatelessMcpFilter;
import dev.keycloakmcp.sample.tools.Notebook;
import dev.keycloakmcp.sample.tools.SampleTools;
import dev.keycloakmcp.sample.tools.ScopedTool;

/**
 * A Streamable HTTP MCP server on Jetty, protected by Keycloak. Start it with {@link #start(SampleServerConfig)}
 * (tests, the demo) or {@link #main(String[])}.
 */
public final class McpSampleServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(McpSampleServer.class);
    private static final McpSchema.Implementation SERVER_INFO = new McpSchema.Implementation("keycloak-mcp-sample", "0.1.0");
    /** Jetty connector names: each context answers on its own port only. */
    private static final String MCP_CONNECTOR = "mcp";
    private static final String METRICS_CONNECTOR = "metrics";

    private final Server jetty;
    private final McpSyncServer mcp;
    private final McpStatelessSyncServer statelessMcp;
    private final SampleServerConfig config;

    private McpSampleServer(Server jetty, McpSyncServer mcp, McpStatelessSyncServer statelessMcp, SampleServerConfig config) {
        this.jetty = jetty;
        this.mcp = mcp;
        this.statelessMcp = statelessMcp;
        this.config = config;
    }

    /**
     * Starts the server, guarded by the realm's keys and introspection at the configured issuer (both checked now:
     * fails fast if a setting is wrong).
     */
    public static McpSampleServer start(SampleServerConfig config) throws Exception {
        SampleMetrics metrics = new SampleMetrics();
        return start(config, metrics, tools -> {
            // The whole authorization setup: the resource-server library, with the tools' extra scopes.
            McpAuth.Builder auth = McpAuth.builder(config.issuer(), config.resource())
                    .credentials(config.clientId(), config.clientSecret())
                    .resourceName(config.resourceName())
                    .requiredScope(config.requiredScope())
                    .introspection(config.introspection())
                    .signedTokens(config.signedTokens())
                    .events(metrics);
            tools.forEach(tool -> auth.toolScopes(tool.name(), tool.extraScopes().toArray(String[]::new)));
            return named(auth::build);
        });
    }

    /**
     * Starts the server as it was before tokens were checked here first: every token without a cached answer is
     * introspected, made-up ones too. Only for the benchmark, which measures the local check against it.
     */
    public static McpSampleServer startIntrospectionOnly(SampleServerConfig config) throws Exception {
        McpAuthSettings settings = config.auth();
        HttpClient http = HttpClient.newBuilder().connectTimeout(settings.introspection().connectTimeout()).build();
        TokenIntrospector introspector = named(() -> TokenIntrospector.connect(settings,
                IssuerMetadata.read(settings, http).introspectionEndpoint(), http));
        SampleMetrics metrics = new SampleMetrics();
        return start(config, TokenVerifier.introspectionOnly(introspector, settings.introspection(), metrics), metrics);
    }

    /** Starts the server with the library's guard verifying tokens with {@code verifier}, which reports to {@code metrics}. */
    public static McpSampleServer start(SampleServerConfig config, TokenVerifier verifier, SampleMetrics metrics) throws Exception {
        return start(config, metrics,
                tools -> new McpAuth(config.auth(), verifier, requiredScopes(config, tools), McpJsonDefaults.getMapper()));
    }

    /**
     * Starts the server <em>without</em> any authorization, only for the benchmark's baseline (what the bearer filter
     * costs is measured against it). Never run it where anyone can reach it.
     */
    public static McpSampleServer startUnguarded(SampleServerConfig config) throws Exception {
        return start(config, new SampleMetrics(), tools -> null);
    }

    private static McpSampleServer start(SampleServerConfig config, SampleMetrics metrics, Function<List<ScopedTool>, McpAuth> guard)
            throws Exception {
        DownstreamProfile downstream = DownstreamProfile.of(config.onBehalfOf(), config.clientId(), config.clientSecret(),
                metrics::tokenExchange);
        List<ScopedTool> tools = SampleTools.all(config, new Notebook(), downstream).stream().map(tool -> tool.countedIn(metrics)).toList();
        McpAuth auth = guard.apply(tools);
        // The caller's grant, and its token for the one use it may have here: the subject token of a token exchange.
        McpTransportContextExtractor<HttpServletRequest> callerOfRequest = auth == null ? request -> McpTransportContext.EMPTY
                : SubjectToken.addedTo(auth.contextExtractor());
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint(config.mcpPath())
                .maxRequestSize(BearerTokenFilter.MAX_BODY_BYTES)
                .contextExtractor(callerOfRequest)
                .build();
        McpSchema.ServerCapabilities capabilities = McpSchema.ServerCapabilities.builder().tools(false).build();
        McpSyncServer mcp = McpServer.sync(transport)
                .serverInfo(SERVER_INFO)
                .capabilities(capabilities)
                .tools(tools.stream().map(ScopedTool::specification).toList())
                .build();
        // MCP 2026-07-28 clients are served statelessly, by the same tools (StatelessMcpFilter routes them here).
        HttpServletStatelessServerTransport statelessTransport = HttpServletStatelessServerTransport.builder()
                .messageEndpoint(config.mcpPath())
                .maxRequestSize(BearerTokenFilter.MAX_BODY_BYTES)
                .contextExtractor(callerOfRequest)
                .build();
        McpStatelessSyncServer statelessMcp = McpServer.sync(statelessTransport)
                .serverInfo(SERVER_INFO)
                .capabilities(capabilities)
                .tools(tools.stream().map(ScopedTool::statelessSpecification).toList())
                .build();

        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setName(MCP_CONNECTOR);
        jetty.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.setVirtualHosts(List.of("@" + MCP_CONNECTOR));
        ServletHolder mcpServlet = new ServletHolder("mcp", transport);
        mcpServlet.setAsyncSupported(true);
        context.addServlet(mcpServlet, config.mcpPath());
        if (auth != null) {
            // First: the library's guard. Its metadata document at both of RFC 9728's places.
            addMcpFilter(context, "bearer", auth.filter());
            ServletHolder metadata = new ServletHolder("protected-resource-metadata", auth.metadataServlet());
            auth.metadataPaths().forEach(path -> context.addServlet(metadata, path));
        }
        // After the bearer filter: a 2026-07-28 request without a valid token still gets the 401 challenge first.
        addMcpFilter(context, "stateless", new StatelessMcpFilter(statelessTransport, SERVER_INFO, capabilities,
                McpJsonDefaults.getMapper(), BearerTokenFilter.MAX_BODY_BYTES));
        // Last: 2025-xx requests, checked before the SDK's session transport sees them, its errors made JSON-RPC ones.
        addMcpFilter(context, "session", new SessionMcpFilter(McpJsonDefaults.getMapper(), BearerTokenFilter.MAX_BODY_BYTES));
        ContextHandlerCollection contexts = new ContextHandlerCollection(context);
        if (config.metricsPort().isPresent()) {
            ServerConnector metricsConnector = new ServerConnector(jetty);
            metricsConnector.setHost(config.host());
            metricsConnector.setPort(config.metricsPort().getAsInt());
            metricsConnector.setName(METRICS_CONNECTOR);
            jetty.addConnector(metricsConnector);
            ServletContextHandler metricsContext = new ServletContextHandler();
            metricsContext.setContextPath("/");
            metricsContext.setVirtualHosts(List.of("@" + METRICS_CONNECTOR));
            metricsContext.addServlet(new ServletHolder("metrics", new MetricsServlet(metrics)), "/metrics");
            contexts.addHandler(metricsContext);
        }
        jetty.setHandler(contexts);
        try {
            jetty.start();
        } catch (Exception e) {
            mcp.closeGracefully();
            statelessMcp.closeGracefully();
            throw new IllegalStateException("Cannot listen on " + config.host() + ":" + config.port() + " (" + e.getMessage()
                    + "): check " + SampleServerConfig.Setting.HOST + ", " + SampleServerConfig.Setting.PORT + " and "
                    + SampleServerConfig.Setting.METRICS_PORT, e);
        }
        return new McpSampleServer(jetty, mcp, statelessMcp, config);
    }

    /**
     * Filters are bound to the MCP servlet, not to a path: with a resource URL without path the MCP servlet is the
     * default servlet and answers every path, and every one of them must be guarded. They run in the order added.
     */
    private static void addMcpFilter(ServletContextHandler context, String name, HttpFilter filter) {
        FilterHolder holder = new FilterHolder(filter);
        holder.setName(name);
        holder.setAsyncSupported(true);
        FilterMapping mapping = new FilterMapping();
        mapping.setFilterName(name);
        mapping.setServletName("mcp");
        mapping.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
        context.getServletHandler().addFilter(holder, mapping);
    }

    /**
     * Runs a step of the library's setup; a wrong setting is reported by the names the sample's users set it with
     * (its flag and variable).
     */
    private static <T> T named(java.util.function.Supplier<T> setup) {
        try {
            return setup.get();
        } catch (McpAuthSetupException e) {
            List<String> names = e.settings().stream().map(setting -> switch (setting) {
                case ISSUER -> SampleServerConfig.Setting.ISSUER;
                case CLIENT_ID -> SampleServerConfig.Setting.CLIENT_ID;
                case CLIENT_SECRET -> SampleServerConfig.Setting.CLIENT_SECRET;
                case INTROSPECTION_URL -> SampleServerConfig.Setting.INTROSPECTION_URL;
                case JWKS_URL -> SampleServerConfig.Setting.JWKS_URL;
            }).map(String::valueOf).toList();
            throw new IllegalStateException(e.getMessage() + " (" + String.join(", ", names) + ")", e);
        }
    }

    private static RequiredScopes requiredScopes(SampleServerConfig config, List<ScopedTool> tools) {
        Map<String, Set<String>> extra = new HashMap<>();
        tools.forEach(tool -> extra.put(tool.name(), tool.extraScopes()));
        return new RequiredScopes(config.requiredScope(), extra);
    }

    /** The metrics port actually bound, if the server has one (useful with port 0). */
    public OptionalInt metricsPort() {
        return config.metricsPort().isEmpty() ? OptionalInt.empty()
                : OptionalInt.of(((ServerConnector) jetty.getConnectors()[1]).getLocalPort());
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
        statelessMcp.closeGracefully();
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
        LOG.info("MCP server {} listening on {}:{} (authorization server {})", config.resource(), config.host(), server.port(),
                config.issuer());
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
