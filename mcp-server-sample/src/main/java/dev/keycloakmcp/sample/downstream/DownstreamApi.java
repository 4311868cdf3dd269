package dev.keycloakmcp.sample.downstream;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keycloakmcp.resourceserver.AuthorizationEvents;
import dev.keycloakmcp.resourceserver.McpAuthSetupException;
import dev.keycloakmcp.resourceserver.TokenVerifier;

/**
 * The sample's downstream API: a plain HTTP API (not an MCP server) with a Keycloak client and audience of its own,
 * which the sample MCP server's {@code downstream_profile} tool calls as the user (docs/on-behalf-of.md). It verifies
 * tokens with the resource-server library: signature, issuer, its own identifier in {@code aud}, then introspection
 * with its own client credentials.
 */
public final class DownstreamApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DownstreamApi.class);

    private final Server jetty;

    private DownstreamApi(Server jetty) {
        this.jetty = jetty;
    }

    /** Starts the API once Keycloak has accepted its credentials and given the realm's keys (a wrong setting fails now). */
    public static DownstreamApi start(DownstreamApiConfig config) throws Exception {
        TokenVerifier verifier;
        try {
            verifier = TokenVerifier.connect(config.auth(), new AuthorizationEvents() {
            });
        } catch (McpAuthSetupException e) {
            throw new IllegalStateException(e.getMessage() + " (" + DownstreamApiConfig.Setting.ISSUER + ", "
                    + DownstreamApiConfig.Setting.AUDIENCE + ", " + DownstreamApiConfig.Setting.CLIENT_SECRET + ")", e);
        }
        return start(config, verifier);
    }

    /** Starts the API with {@code verifier} (tests: one pointed at a stand-in authorization server). */
    static DownstreamApi start(DownstreamApiConfig config, TokenVerifier verifier) throws Exception {
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(config.host());
        connector.setPort(config.port());
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("profile", new ProfileServlet(verifier, config.scope())), config.profilePath());
        jetty.setHandler(context);
        jetty.start();
        return new DownstreamApi(jetty);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }

    public static void main(String[] args) throws Exception {
        DownstreamApi api;
        DownstreamApiConfig config;
        try {
            config = DownstreamApiConfig.fromEnvironment(args, System.getenv());
            api = start(config);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("downstream-api: " + e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info("Downstream API {} listening on {}:{}{}", config.audience(), config.host(), api.port(), config.profilePath());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                api.close();
            } catch (Exception e) {
                LOG.warn("Error while stopping: {}", e.getMessage());
            }
        }));
        api.jetty.join();
    }
}
