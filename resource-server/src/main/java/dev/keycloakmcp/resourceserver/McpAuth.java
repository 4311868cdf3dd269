package dev.keycloakmcp.resourceserver;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpTransportContextExtractor;

/**
 * Protects an MCP server built on the MCP Java SDK's servlet transports with a Keycloak realm that has the
 * keycloak-mcp pack:
 *
 * <pre>{@code
 * McpAuth auth = McpAuth.builder("https://sso.example.com/realms/mcp", "https://mcp.example.com/mcp")
 *         .credentials("https://mcp.example.com/mcp", System.getenv("MCP_CLIENT_SECRET"))
 *         .toolScopes("add_note", "mcp:tools:write")
 *         .build();
 * var transport = HttpServletStreamableServerTransportProvider.builder()
 *         .mcpEndpoint("/mcp").contextExtractor(auth.contextExtractor()).build();
 * context.addServlet(auth.protect(transport), "/mcp");                           // async supported
 * auth.metadataPaths().forEach(path -> context.addServlet(auth.metadataServlet(), path));
 * // in a tool: AccessGrant caller = AccessGrant.of(exchange.transportContext());
 * }</pre>
 *
 * What the guard does is in {@link BearerTokenFilter} (DPoP proofs: {@link DpopProofCheck}); how tokens are verified (local signature check, then cached,
 * single-flight RFC 7662 introspection, issuer and audience) in {@link TokenVerifier}.
 */
public final class McpAuth {

    private final McpAuthSettings settings;
    private final BearerTokenFilter filter;
    private final ProtectedResourceMetadataServlet metadata;

    /** For a server that builds its own verifier (a test, a benchmark); {@link #builder} is the usual way. */
    public McpAuth(McpAuthSettings settings, TokenVerifier verifier, RequiredScopes scopes, McpJsonMapper json) {
        this.settings = settings;
        this.filter = new BearerTokenFilter(settings, verifier, scopes, json);
        try {
            this.metadata = new ProtectedResourceMetadataServlet(settings, json);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the protected resource metadata", e);
        }
    }

    /**
     * @param issuer   the realm's issuer URL
     * @param resource the MCP server's canonical URL (the public one behind a proxy), as registered in the realm
     */
    public static Builder builder(String issuer, String resource) {
        return new Builder(issuer, resource);
    }

    /** The settings the guard runs with (the resource made canonical, the defaults filled in). */
    public McpAuthSettings settings() {
        return settings;
    }

    /**
     * The guard as a servlet filter, for a server that maps its own filters (it must run first on every request to the
     * MCP servlet, async supported). One instance per server: it remembers who opened each MCP session.
     */
    public HttpFilter filter() {
        return filter;
    }

    /** {@code mcpServlet} (the SDK's streamable or stateless servlet transport) behind the guard, to map at the MCP path. */
    public HttpServlet protect(HttpServlet mcpServlet) {
        return new ProtectedServlet(filter, mcpServlet);
    }

    /** Copies the caller's {@link AccessGrant} into the MCP transport context, where tools read it. */
    public McpTransportContextExtractor<HttpServletRequest> contextExtractor() {
        return request -> AccessGrant.of(request)
                .map(grant -> McpTransportContext.create(Map.of(AccessGrant.CONTEXT_KEY, grant)))
                .orElse(McpTransportContext.EMPTY);
    }

    /** The RFC 9728 metadata document (a servlet that answers GET), to map at every one of {@link #metadataPaths()}. */
    public HttpServlet metadataServlet() {
        return metadata;
    }

    /**
     * Where clients look for the metadata: RFC 9728's path for the resource, and the root one that clients of the
     * 2025-03-26 era and some proxies try.
     */
    public List<String> metadataPaths() {
        String path = settings.mcpPath();
        return path.equals("/") ? List.of(ProtectedResourceMetadataServlet.WELL_KNOWN)
                : List.of(ProtectedResourceMetadataServlet.WELL_KNOWN + path, ProtectedResourceMetadataServlet.WELL_KNOWN);
    }

    /** The MCP servlet behind the guard. */
    private static final class ProtectedServlet extends HttpServlet {

        private final BearerTokenFilter guard;
        private final HttpServlet mcp;

        ProtectedServlet(BearerTokenFilter guard, HttpServlet mcp) {
            this.guard = guard;
            this.mcp = mcp;
        }

        @Override
        public void init(ServletConfig config) throws ServletException {
            super.init(config);
            mcp.init(config);
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
            guard.doFilter(request, response, (passed, answer) -> mcp.service(passed, answer));
        }

        @Override
        public void destroy() {
            mcp.destroy();
        }
    }

    /** Settings with safe defaults; {@link #build()} checks them against Keycloak. */
    public static final class Builder {

        private final String issuer;
        private final String resource;
        private String resourceName;
        private String clientId;
        private String clientSecret;
        private String requiredScope = "mcp:tools";
        private final Map<String, Set<String>> toolScopes = new LinkedHashMap<>();
        private IntrospectionSettings introspection = IntrospectionSettings.defaults();
        private SignedTokenSettings signedTokens = SignedTokenSettings.defaults();
        private DpopSettings dpop = DpopSettings.defaults();
        private AuthorizationEvents events = AuthorizationEvents.NONE;
        private McpJsonMapper json;

        private Builder(String issuer, String resource) {
            this.issuer = issuer;
            this.resource = resource;
        }

        /** The server's confidential client in the realm, which may introspect tokens (by default the client id is the resource URL). */
        public Builder credentials(String clientId, String clientSecret) {
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            return this;
        }

        /** Name shown in the protected resource metadata (default: the resource URL). */
        public Builder resourceName(String name) {
            this.resourceName = name;
            return this;
        }

        /** Scope every MCP request needs (default {@code mcp:tools}, the pack's). */
        public Builder requiredScope(String scope) {
            this.requiredScope = scope;
            return this;
        }

        /** Scopes {@code tool} needs beyond the required scope: a call without them gets 403 {@code insufficient_scope} (step-up). */
        public Builder toolScopes(String tool, String... scopes) {
            toolScopes.put(tool, Set.of(scopes));
            return this;
        }

        /** Introspection and its cache: default 30 s for active answers, 5 s for refused ones, 5 s timeout, 32 in flight. */
        public Builder introspection(IntrospectionSettings settings) {
            this.introspection = settings;
            return this;
        }

        /** The local check of signed tokens: default key refetch at most every 10 s, 30 s clock skew. */
        public Builder signedTokens(SignedTokenSettings settings) {
            this.signedTokens = settings;
            return this;
        }

        /**
         * DPoP-bound tokens (RFC 9449): default accepted next to Bearer, proofs valid 60 s plus 15 s skew, used proofs
         * remembered in this process (a server run as several nodes passes a {@link ProofReplay} over a shared store).
         */
        public Builder dpop(DpopSettings settings) {
            this.dpop = settings;
            return this;
        }

        /** Where the guard reports challenges, 503s, cache lookups and introspections (default: nowhere). */
        public Builder events(AuthorizationEvents events) {
            this.events = events;
            return this;
        }

        /** The JSON mapper of the MCP transport (default: the SDK's). */
        public Builder jsonMapper(McpJsonMapper json) {
            this.json = json;
            return this;
        }

        /**
         * Reads the issuer's metadata and keys and tries the credentials at the introspection endpoint, so that a wrong
         * setting stops the server now.
         *
         * @throws McpAuthSetupException a setting is wrong or Keycloak cannot be reached
         */
        public McpAuth build() {
            if (clientSecret == null) {
                throw new IllegalArgumentException("The MCP server's client secret is needed to introspect tokens: call credentials(...)");
            }
            McpAuthSettings settings = new McpAuthSettings(issuer, resource, resourceName, clientId, clientSecret, requiredScope,
                    introspection, signedTokens, dpop);
            return new McpAuth(settings, TokenVerifier.connect(settings, events), new RequiredScopes(requiredScope, toolScopes),
                    json == null ? McpJsonDefaults.getMapper() : json);
        }
    }
}
