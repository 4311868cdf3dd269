package dev.keycloakmcp.spring;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keycloak unreachable, slow or refusing this server's credentials during introspection: Spring Security rethrows that
 * (it is not the client's fault) and the container would answer 500. It is {@code 503} with {@code Retry-After}, never
 * an unauthenticated pass.
 */
final class IntrospectionOutageFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (AuthenticationServiceException e) {
            if (!response.isCommitted()) {
                response.reset();
                response.setStatus(503);
                response.setHeader("Retry-After", "5");
                response.setContentType("application/json");
                response.getWriter().write("{\"error\":\"temporarily_unavailable\"}");
            }
        }
    }
}
