package dev.keycloakmcp.resourceserver;

import java.io.IOException;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.modelcontextprotocol.json.McpJsonMapper;





/**
 * Guards the MCP endpoint. In order: a token outside the Authorization header gets 400; no token, or one that is
 * not valid for this server, 401 with the challenge that starts the MCP authorization flow; Keycloak unreachable,
 * 503 (fail closed); a body the filter cannot read exactly as the SDK will, 400/413/415; a valid token without every
 * scope the request needs (base scope, plus the scopes of the tools it calls), 403 {@code insufficient_scope} naming
 * them all, so that the client re-authorizes with them (step-up); a session opened by another user or client, 404.
 * Tokens are never logged and never passed on: tools see only the {@link AccessGrant}. Challenges and 503s are counted
 * reported to the verifier's {@link AuthorizationEvents}.
 */
public final class BearerTokenFilter extends HttpFilter {

    /** Largest MCP request body read; the MCP servlet is given the same limit. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    static final String SESSION_HEADER = "Mcp-Session-Id";

    private static final Logger LOG = LoggerFactory.getLogger(BearerTokenFilter.class);

    private final McpAuthSettings config;
    private final TokenVerifier verifier;
    private final RequiredScopes requiredScopes;
    private final McpJsonMapper json;
    private final SessionOwners sessions = new SessionOwners();
    private final AuthorizationEvents events;

    public BearerTokenFilter(McpAuthSettings config, TokenVerifier verifier, RequiredScopes requiredScopes, McpJsonMapper json) {
        this.config = config;
        this.verifier = verifier;
        this.requiredScopes = requiredScopes;
        this.json = json;
        this.events = verifier.events();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if ("OPTIONS".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        BearerToken token = BearerToken.of(Collections.list(request.getHeaders("Authorization")), request.getQueryString(),
                request.getContentType());
        switch (token.presentation()) {
            case NOT_IN_HEADER -> {
                refuse(response, HttpServletResponse.SC_BAD_REQUEST, BearerChallenge.invalidRequest(config), "invalid_request");
                return;
            }
            case MISSING -> {
                refuse(response, HttpServletResponse.SC_UNAUTHORIZED, BearerChallenge.unauthorized(config, false), null);
                return;
            }
            case MALFORMED -> {
                refuse(response, HttpServletResponse.SC_UNAUTHORIZED, BearerChallenge.unauthorized(config, true), "invalid_token");
                return;
            }
            case PRESENTED -> {
                // verified below
            }
        }

        Optional<AccessGrant> verified;
        try {
            verified = verifier.verify(token.value());
        } catch (AuthorizationServerUnavailable e) {
            LOG.warn("Refusing an MCP request with 503: {}", e.getMessage());
            events.unavailable();
            response.setHeader("Retry-After", "5");
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"temporarily_unavailable\",\"error_description\":"
                    + "\"The authorization server cannot be reached to verify the access token\"}");
            return;
        }
        if (verified.isEmpty()) {
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, BearerChallenge.unauthorized(config, true), "invalid_token");
            return;
        }
        AccessGrant grant = verified.get();

        HttpServletRequest forwarded = request;
        Object message = null;
        Set<String> needed = requiredScopes.base();
        if ("POST".equals(request.getMethod())) {
            McpRequestBody body = McpRequestBody.read(request, MAX_BODY_BYTES, json);
            if (body.refusal() != null) {
                body.refuse(response);
                return;
            }
            message = body.message();
            needed = requiredScopes.of(message);
            forwarded = body.replayTo(request);
        }
        if (!RequiredScopes.missing(needed, grant.scopes()).isEmpty()) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, BearerChallenge.insufficientScope(config, needed), "insufficient_scope");
            return;
        }

        String session = request.getHeader(SESSION_HEADER);
        // A 2026-07-28 client's request is stateless and its session id means nothing (the spec's rule), so an unknown
        // one is not refused. A session this guard saw opened stays its owner's whatever the request claims to be:
        // the SDK's session transport does not read the version header, and would serve the session.
        if (session != null && (!ProtocolEra.isStateless(request, message) || sessions.known(session)) && !sessions.mayUse(session, grant)) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.setContentType("application/json");
            response.getWriter().write("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}");
            return;
        }
        forwarded.setAttribute(AccessGrant.CONTEXT_KEY, grant);
        chain.doFilter(forwarded, session != null ? response : new SessionOpening(response, grant));
    }

    /** Records who opened a session when the MCP SDK answers {@code initialize} with its id. */
    private final class SessionOpening extends HttpServletResponseWrapper {
        private final AccessGrant grant;

        SessionOpening(HttpServletResponse response, AccessGrant grant) {
            super(response);
            this.grant = grant;
        }

        @Override
        public void setHeader(String name, String value) {
            opened(name, value);
            super.setHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            opened(name, value);
            super.addHeader(name, value);
        }

        private void opened(String name, String value) {
            if (SESSION_HEADER.equalsIgnoreCase(name) && value != null) {
                sessions.opened(value, grant);
            }
        }
    }

    /** {@code error} is null when no token was presented (RFC 6750 §3.1: then the response has no error code). */
    private void refuse(HttpServletResponse response, int status, String challenge, String error) throws IOException {
        events.challenge(status, error);
        response.setStatus(status);
        response.setHeader("WWW-Authenticate", challenge);
        response.setContentType("application/json");
        response.getWriter().write(error == null ? "{\"error_description\":\"This MCP server needs an access token\"}"
                : "{\"error\":\"" + error + "\"}");
    }
}
