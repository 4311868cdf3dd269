package dev.keycloakmcp.sample;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards the MCP endpoint: a request without a valid token for this server gets 401 with the challenge that
 * starts the MCP authorization flow; a valid token without the required scope gets 403. Tokens are read from
 * the Authorization header only and never logged.
 */
public class BearerTokenFilter extends HttpFilter {

    private static final Logger LOG = LoggerFactory.getLogger(BearerTokenFilter.class);
    private static final String BEARER = "bearer ";

    private final SampleServerConfig config;
    private final TokenIntrospector introspector;

    public BearerTokenFilter(SampleServerConfig config, TokenIntrospector introspector) {
        this.config = config;
        this.introspector = introspector;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if ("OPTIONS".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            challenge(response, HttpServletResponse.SC_UNAUTHORIZED, BearerChallenge.unauthorized(config, false));
            return;
        }
        String token = header.substring(BEARER.length()).trim();
        Optional<AccessGrant> grant;
        try {
            grant = token.isEmpty() ? Optional.empty() : introspector.verify(token);
        } catch (IOException e) {
            // Fail closed: without an answer from Keycloak nobody gets in.
            LOG.warn("Token introspection failed: {}", e.getMessage());
            response.setHeader("Retry-After", "5");
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Authorization server unavailable");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        if (grant.isEmpty()) {
            challenge(response, HttpServletResponse.SC_UNAUTHORIZED, BearerChallenge.unauthorized(config, true));
            return;
        }
        if (!grant.get().scopes().contains(config.requiredScope())) {
            challenge(response, HttpServletResponse.SC_FORBIDDEN, BearerChallenge.insufficientScope(config));
            return;
        }
        request.setAttribute(AccessGrant.CONTEXT_KEY, grant.get());
        chain.doFilter(request, response);
    }

    private static void challenge(HttpServletResponse response, int status, String header) throws IOException {
        response.setStatus(status);
        response.setHeader("WWW-Authenticate", header);
        response.setContentType("application/json");
        response.getWriter().write(status == HttpServletResponse.SC_FORBIDDEN
                ? "{\"error\":\"insufficient_scope\"}" : "{\"error\":\"invalid_token\"}");
    }
}
