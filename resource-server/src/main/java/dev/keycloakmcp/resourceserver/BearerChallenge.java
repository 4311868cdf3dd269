package dev.keycloakmcp.resourceserver;

import java.util.List;
import java.util.Set;



/**
 * RFC 6750 {@code WWW-Authenticate} challenges as MCP clients read them: they take the protected resource
 * metadata URL and the scopes to ask for from here. The {@code DPoP} ones (RFC 9449 §7.1) carry the same parameters
 * and the proof algorithms this server verifies ({@code algs}).
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

    /**
     * 401 without a token: the Bearer challenge, then the DPoP one (a client takes the first it supports), or only the
     * DPoP one when the server requires DPoP.
     */
    public static List<String> missing(McpAuthSettings config) {
        String dpop = dpop(config, null, null, Set.of(config.requiredScope()));
        return config.dpop().required() ? List.of(dpop) : List.of(unauthorized(config, false), dpop);
    }

    /** 401 for a token presented with the DPoP scheme that this server does not accept (or Bearer when DPoP is required). */
    public static String dpopInvalidToken(McpAuthSettings config, String description) {
        return dpop(config, "invalid_token", description, Set.of(config.requiredScope()));
    }

    /** 401 {@code invalid_dpop_proof}: the request's DPoP proof is missing, malformed, or not for this request or token. */
    public static String invalidProof(McpAuthSettings config, String description) {
        return dpop(config, "invalid_dpop_proof", description, Set.of(config.requiredScope()));
    }

    /** 403 for a DPoP request whose token lacks a scope; {@code scopes} is every scope the request needs. */
    public static String dpopInsufficientScope(McpAuthSettings config, Set<String> scopes) {
        return dpop(config, "insufficient_scope", "The access token does not grant every scope this request needs", scopes);
    }

    private static String dpop(McpAuthSettings config, String error, String description, Set<String> scopes) {
        return "DPoP algs=\"" + DpopProofCheck.ALGORITHM_NAMES + "\", " + challenge(config, error, description, scopes).substring("Bearer ".length());
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
