package dev.keycloakmcp.spring;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.modelcontextprotocol.common.McpTransportContext;

import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.web.servlet.function.ServerRequest;

/**
 * Who calls a tool: the verified grant (user, client, scopes), never the token. The transport copies it into the MCP
 * transport context on the request thread, where Spring Security's context is set; tools read it from there because
 * they may run on another thread, where {@code SecurityContextHolder} is empty.
 */
record McpCaller(String username, String clientId, Set<String> scopes) {

    static final String KEY = McpCaller.class.getName();

    /** The transport's context extractor: the authenticated caller of this HTTP request, if any. */
    static McpTransportContext extract(ServerRequest request) {
        return request.principal().filter(BearerTokenAuthentication.class::isInstance).map(BearerTokenAuthentication.class::cast)
                .map(McpCaller::of).map(caller -> McpTransportContext.create(Map.of(KEY, caller))).orElse(McpTransportContext.EMPTY);
    }

    /** The caller a tool runs for; the security chain lets no unauthenticated request reach a tool. */
    static McpCaller from(McpTransportContext context) {
        if (context != null && context.get(KEY) instanceof McpCaller caller) {
            return caller;
        }
        throw new IllegalStateException("No authenticated caller in the MCP transport context");
    }

    private static McpCaller of(BearerTokenAuthentication authentication) {
        Map<String, Object> claims = authentication.getTokenAttributes();
        Object username = claims.getOrDefault("preferred_username", claims.get("username"));
        Set<String> scopes = authentication.getAuthorities().stream().map(Object::toString).filter(a -> a.startsWith("SCOPE_"))
                .map(a -> a.substring(6)).collect(Collectors.toUnmodifiableSet());
        return new McpCaller(String.valueOf(username), String.valueOf(claims.get("client_id")), scopes);
    }
}
