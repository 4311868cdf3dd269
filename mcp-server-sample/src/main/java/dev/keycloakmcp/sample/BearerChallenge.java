package dev.keycloakmcp.sample;

/**
 * RFC 6750 {@code WWW-Authenticate} challenges as MCP clients read them: they take the protected resource
 * metadata URL and the scope to ask for from here.
 */
public final class BearerChallenge {

    private BearerChallenge() {
    }

    /** 401: no token, or a token this server does not accept. */
    public static String unauthorized(SampleServerConfig config, boolean tokenPresented) {
        StringBuilder header = new StringBuilder("Bearer");
        if (tokenPresented) {
            header.append(" error=\"invalid_token\", error_description=\"The access token is not valid for this MCP server\",");
        }
        return header.append(" resource_metadata=\"").append(config.protectedResourceMetadataUrl())
                .append("\", scope=\"").append(config.requiredScope()).append('"').toString();
    }

    /** 403: a valid token that lacks a scope; the client re-authorizes with every scope listed. */
    public static String insufficientScope(SampleServerConfig config) {
        return "Bearer error=\"insufficient_scope\", scope=\"" + config.requiredScope() + "\", resource_metadata=\""
                + config.protectedResourceMetadataUrl() + "\"";
    }
}
