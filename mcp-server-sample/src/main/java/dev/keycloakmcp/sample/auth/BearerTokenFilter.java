package dev.keycloakmcp.sample.auth;

import java.io.IOException;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keycloakmcp.sample.SampleServerConfig;

/**
 * Guards the MCP endpoint. In order: a token outside the Authorization header gets 400; no token, or one that is
 * not valid for this server, 401 with the challenge that starts the MCP authorization flow; Keycloak unreachable,
 * 503 (fail closed); a valid token without every scope the request needs (base scope, plus the scopes of the tools
 * it calls), 403 {@code insufficient_scope} naming them all, so that the client re-authorizes with them (step-up).
 * Tokens are never logged and never passed on: tools see only the {@link AccessGrant}.
 */
public class BearerTokenFilter extends HttpFilter {

    /** Largest MCP request body read; the MCP servlet is given the same limit. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(BearerTokenFilter.class);

    private final SampleServerConfig config;
    private final TokenVerifier verifier;
    private final RequiredScopes requiredScopes;

    public BearerTokenFilter(SampleServerConfig config, TokenVerifier verifier, RequiredScopes requiredScopes) {
        this.config = config;
        this.verifier = verifier;
        this.requiredScopes = requiredScopes;
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

        Optional<AccessGrant> grant;
        try {
            grant = verifier.verify(token.value());
        } catch (AuthorizationServerUnavailable e) {
            LOG.warn("Refusing an MCP request with 503: {}", e.getMessage());
            response.setHeader("Retry-After", "5");
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"temporarily_unavailable\",\"error_description\":"
                    + "\"The authorization server cannot be reached to verify the access token\"}");
            return;
        }
        if (grant.isEmpty()) {
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, BearerChallenge.unauthorized(config, true), "invalid_token");
            return;
        }

        HttpServletRequest forwarded = request;
        Set<String> needed = requiredScopes.base();
        if ("POST".equals(request.getMethod())) {
            byte[] body = BufferedBodyRequest.read(request, MAX_BODY_BYTES);
            if (body == null) {
                response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
                return;
            }
            needed = requiredScopes.of(body);
            forwarded = new BufferedBodyRequest(request, body);
        }
        if (!RequiredScopes.missing(needed, grant.get().scopes()).isEmpty()) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, BearerChallenge.insufficientScope(config, needed), "insufficient_scope");
            return;
        }
        forwarded.setAttribute(AccessGrant.CONTEXT_KEY, grant.get());
        chain.doFilter(forwarded, response);
    }

    /** {@code error} is null when no token was presented (RFC 6750 §3.1: then the response has no error code). */
    private static void refuse(HttpServletResponse response, int status, String challenge, String error) throws IOException {
        response.setStatus(status);
        response.setHeader("WWW-Authenticate", challenge);
        response.setContentType("application/json");
        response.getWriter().write(error == null ? "{\"error_description\":\"This MCP server needs an access token\"}"
                : "{\"error\":\"" + error + "\"}");
    }
}
