package dev.keycloakmcp.resourceserver;

import java.util.Set;



/**
 * RFC 6750 {@code WWW-Authenticate} challenges as MCP clients read them: they take the protected resource
 * metadata URL and the scopes to ask for from here.
 */
final class BearerChallenge {

    private BearerChallenge() {
    }

    /** 401: no token ({@code tokenPresented} false), or a token this server does not accept. */
    public static String unauthorized(McpAuthSettings config, boolean tokenPresented) {
        return challenge(config, tokenPresented ? "invalid_token" : null,
                "The access token is missing, expired, revoked or not issued for this MCP server", Set.of(config.requiredScope()));
    }

    /** 400: the token was sent some other way than the Authorization header, or more than once. */
    public static String invalidRequest(McpAuthSettings config) {
        return challenge(config, "invalid_request", "Send the access token in the Authorization header only",
                Set.of(config.requiredScope()));
    }

    /** 403: a valid token that lacks a scope; {@code scopes} is every scope the request needs (MCP step-up). */
    public static String insufficientScope(McpAuthSettings config, Set<String> scopes) {
        return challenge(config, "insufficient_scope", "The access token does not grant every scope this request needs", scopes);
    }

    private static String challenge(McpAuthSettings config, String error, String description, Set<String> scopes) {
        StringBuilder header = new StringBuilder("Bearer ");
        if (error != null) {
            header.append("error=\"").append(error).append("\", error_description=\"").append(description).append("\", ");
        }
        return header.append("resource_metadata=\"").append(config.protectedResourceMetadataUrl())
                .append("\", scope=\"").append(String.join(" ", scopes)).append('"').toString();
    }
}
