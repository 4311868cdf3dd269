package dev.keycloakmcp.sample.onbehalf;

import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpTransportContextExtractor;

import dev.keycloakmcp.resourceserver.AccessGrant;

/**
 * The MCP access token of a request the guard let through, held only so that it can be the {@code subject_token} of a
 * token exchange. It is never sent anywhere else: forwarding it to another API would be token passthrough, which the
 * MCP spec forbids (the token names this server in {@code aud}, not that API). Never printed.
 */
public record SubjectToken(String value) {

    /** Key in the MCP transport context. */
    public static final String CONTEXT_KEY = SubjectToken.class.getName();

    /**
     * The guard's context extractor plus the verified request's token. Requests the guard did not let through (no
     * grant) get no token either.
     */
    public static McpTransportContextExtractor<HttpServletRequest> addedTo(McpTransportContextExtractor<HttpServletRequest> guarded) {
        return request -> {
            McpTransportContext context = guarded.extract(request);
            Object grant = context.get(AccessGrant.CONTEXT_KEY);
            String token = token(request.getHeader("Authorization"));
            if (grant == null || token == null) {
                return context;
            }
            Map<String, Object> values = new HashMap<>();
            values.put(AccessGrant.CONTEXT_KEY, grant);
            values.put(CONTEXT_KEY, new SubjectToken(token));
            return McpTransportContext.create(values);
        };
    }

    /** The token of an {@code Authorization: Bearer|DPoP <token>} header (the guard has already refused any other). */
    static String token(String authorization) {
        if (authorization == null) {
            return null;
        }
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? "" : authorization.substring(0, space);
        if (!scheme.equalsIgnoreCase("Bearer") && !scheme.equalsIgnoreCase("DPoP")) {
            return null;
        }
        String token = authorization.substring(space + 1).trim();
        return token.isEmpty() ? null : token;
    }

    /** The request's token, if the request passed the guard. */
    public static SubjectToken of(McpTransportContext context) {
        return context != null && context.get(CONTEXT_KEY) instanceof SubjectToken token ? token : null;
    }

    @Override
    public String toString() {
        return "SubjectToken[redacted]";
    }
}
