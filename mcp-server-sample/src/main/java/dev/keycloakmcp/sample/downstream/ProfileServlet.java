package dev.keycloakmcp.sample.downstream;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.modelcontextprotocol.json.McpJsonDefaults;

import dev.keycloakmcp.resourceserver.AccessGrant;
import dev.keycloakmcp.resourceserver.AuthorizationServerUnavailable;
import dev.keycloakmcp.resourceserver.TokenVerifier;

/**
 * {@code GET /api/profile}: the caller's profile, for a token issued for this API ({@code aud} its identifier, checked
 * locally and by introspection with its own client) with its scope. Answers as RFC 6750 says: no token {@code 401}
 * without error; a token that is not for this API (the user's MCP token among them) {@code 401 invalid_token}; without
 * the scope {@code 403 insufficient_scope}.
 */
final class ProfileServlet extends HttpServlet {

    private final transient TokenVerifier verifier;
    private final String scope;

    ProfileServlet(TokenVerifier verifier, String scope) {
        this.verifier = verifier;
        this.scope = scope;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> headers = Collections.list(request.getHeaders("Authorization"));
        if (headers.isEmpty()) {
            refuse(response, 401, "Bearer");
            return;
        }
        String header = headers.get(0);
        if (headers.size() > 1 || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            refuse(response, 400, "Bearer error=\"invalid_request\"");
            return;
        }
        Optional<AccessGrant> grant;
        try {
            grant = verifier.verify(header.substring(7).trim());
        } catch (AuthorizationServerUnavailable e) {
            response.setHeader("Retry-After", "5");
            response.sendError(503);
            return;
        }
        if (grant.isEmpty()) {
            refuse(response, 401, "Bearer error=\"invalid_token\"");
            return;
        }
        if (!grant.get().scopes().contains(scope)) {
            refuse(response, 403, "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\"");
            return;
        }
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("subject", grant.get().subject());
        profile.put("username", grant.get().username());
        // Who asked Keycloak for this token: the MCP server's client, acting for the user.
        profile.put("client", grant.get().clientId());
        profile.put("scope", String.join(" ", grant.get().scopes()));
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(McpJsonDefaults.getMapper().writeValueAsString(profile));
    }

    private static void refuse(HttpServletResponse response, int status, String challenge) throws IOException {
        response.setHeader("WWW-Authenticate", challenge);
        response.setHeader("Cache-Control", "no-store");
        response.setStatus(status);
    }
}
