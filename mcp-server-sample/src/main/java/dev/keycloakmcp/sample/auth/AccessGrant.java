package dev.keycloakmcp.sample.auth;

import java.util.Set;

/**
 * What an active, verified access token lets the caller do, as learned from introspection. Reaches tool
 * handlers through the MCP transport context.
 *
 * @param expiresAt the token's {@code exp} in epoch seconds, 0 when Keycloak did not say
 */
public record AccessGrant(String subject, String username, String clientId, Set<String> scopes, long expiresAt) {

    /** Key under which the grant is stored in the servlet request and in the MCP transport context. */
    public static final String CONTEXT_KEY = AccessGrant.class.getName();

    public AccessGrant {
        scopes = Set.copyOf(scopes);
    }

    boolean expiredAt(long epochSecond) {
        return expiresAt != 0 && expiresAt <= epochSecond;
    }
}
