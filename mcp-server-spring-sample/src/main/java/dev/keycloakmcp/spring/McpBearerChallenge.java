package dev.keycloakmcp.spring;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The {@code WWW-Authenticate} challenges MCP clients act on (RFC 6750, RFC 9728 §5.1, MCP step-up). Spring Security's
 * own handlers point at the root metadata URL and say no {@code scope}, so MCP clients would not know what to ask for.
 */
final class McpBearerChallenge implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final McpResourceServerProperties properties;

    McpBearerChallenge(McpResourceServerProperties properties) {
        this.properties = properties;
    }

    /** 401 without error code starts the MCP authorization flow; a refused token is {@code invalid_token}. */
    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure) throws IOException {
        if (failure instanceof OAuth2AuthenticationException oauth) {
            // The bearer token resolver's refusals (a malformed header, a token in the query) are 400 invalid_request.
            boolean malformed = OAuth2ErrorCodes.INVALID_REQUEST.equals(oauth.getError().getErrorCode());
            send(response, malformed ? 400 : 401, malformed ? "invalid_request" : "invalid_token", Set.of(properties.requiredScope()));
        } else {
            send(response, 401, null, Set.of(properties.requiredScope()));
        }
    }

    /** 403 naming every scope the request needs, so the client re-authorizes once for all of them. */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied) throws IOException {
        Set<String> scopes = denied instanceof InsufficientScopeException insufficient ? insufficient.requiredScopes()
                : Set.of(properties.requiredScope());
        send(response, 403, "insufficient_scope", scopes);
    }

    private String header(String error, Set<String> scopes) {
        StringBuilder header = new StringBuilder("Bearer ");
        if (error != null) {
            header.append("error=\"").append(error).append("\", ");
        }
        return header.append("resource_metadata=\"").append(properties.protectedResourceMetadataUrl())
                .append("\", scope=\"").append(String.join(" ", scopes)).append('"').toString();
    }

    private void send(HttpServletResponse response, int status, String error, Set<String> scopes) throws IOException {
        response.setHeader("WWW-Authenticate", header(error, scopes));
        response.setStatus(status);
        response.getOutputStream().flush();
    }
}
