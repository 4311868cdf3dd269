package dev.keycloakmcp.spring;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Step-up before the tool runs: reads the JSON-RPC body of every authenticated POST (the MCP endpoint is the only
 * thing served by POST; matching its path here could be dodged by a spelling Spring MVC routes the same way), throws
 * {@link InsufficientScopeException} (answered 403 by {@link McpBearerChallenge}) when the token lacks a scope the
 * body's tool calls need, and otherwise replays the body to the transport. Runs after Spring Security's authorization,
 * so unauthenticated requests never get their body read.
 */
final class ToolScopeFilter extends OncePerRequestFilter {

    /** Larger bodies are refused before parsing (the same cap as the plain sample server). */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    // Duplicate keys refused: a body read one way here and another way by the SDK would skip the check.
    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final ToolScopes toolScopes;

    ToolScopeFilter(ToolScopes toolScopes) {
        this.toolScopes = toolScopes;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // From the header, not getCharacterEncoding(): Spring Boot forces the request encoding to UTF-8, but the transport
        // decodes the body with the charset the Content-Type names.
        String charset = declaredCharset(request.getContentType());
        if (charset != null && !charset.equalsIgnoreCase("UTF-8")) {
            // MCP bodies are UTF-8 JSON; another charset could make the transport read a body this filter read otherwise.
            jsonRpcError(response, 415, "Send UTF-8 JSON");
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            jsonRpcError(response, 413, "Request body too large");
            return;
        }
        JsonNode message;
        try {
            message = JSON.readTree(body);
        } catch (JacksonException e) {
            jsonRpcError(response, 400, "Parse error");
            return;
        }
        Set<String> required = toolScopes.requiredBy(message);
        if (!granted(SecurityContextHolder.getContext().getAuthentication()).containsAll(required)) {
            throw new InsufficientScopeException(required);
        }
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    /** The {@code charset} a {@code Content-Type} names, or {@code null}; one that does not parse counts as not UTF-8. */
    static String declaredCharset(String contentType) {
        if (contentType == null) {
            return null;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.getParameter("charset") == null ? null : type.getParameter("charset").replace("\"", "");
        } catch (InvalidMediaTypeException e) {
            return "unreadable";
        }
    }

    /** The token's scopes: Spring's introspector maps each to a {@code SCOPE_} authority. */
    private static Set<String> granted(Authentication authentication) {
        return authentication == null ? Set.of() : authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith("SCOPE_")).map(authority -> authority.substring(6))
                .collect(Collectors.toSet());
    }

    private static void jsonRpcError(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getWriter().write("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"" + message + "\"}}");
    }
}
