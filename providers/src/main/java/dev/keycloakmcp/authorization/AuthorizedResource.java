package dev.keycloakmcp.authorization;

import java.util.Collection;
import java.util.List;

import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.RefreshToken;

/**
 * What one token request may bind its tokens to: the code's {@code resource}, or the refresh token's signed audience.
 * Kept in the request, never in the client session: that is shared by every authorization of the same sign-in and
 * client, so a note there would let one authorization re-point another's tokens (RFC 8707 §2.2 wants each refresh
 * token to keep its resource). {@link ResourceAudienceMapper} keeps the registered MCP servers among these values.
 */
public final class AuthorizedResource {

    private static final String ATTRIBUTE = AuthorizedResource.class.getName();
    /**
     * The refresh token claim with what its tokens are bound to, where Keycloak's refresh tokens carry no audience
     * (before 26.7: {@link AuthorizationPolicyExecutor} signs it in; on 26.7 {@link ResourceBoundRefresh} reads it from
     * refresh tokens issued before an upgrade).
     */
    static final String REFRESH_CLAIM = "mcp_resource";

    private AuthorizedResource() {
    }

    /** Binds this request's tokens to {@code candidates} (none: no MCP server). */
    public static void attach(KeycloakSession session, Collection<String> candidates) {
        session.setAttribute(ATTRIBUTE, List.copyOf(candidates));
    }

    /**
     * The values this request's tokens may take their MCP audience from; empty outside the code exchange, refresh and
     * device-code exchange (other grants and the authorization endpoint give no MCP audience).
     */
    @SuppressWarnings("unchecked")
    static List<String> of(KeycloakSession session) {
        List<String> candidates = session.getAttribute(ATTRIBUTE, List.class);
        return candidates == null ? List.of() : candidates;
    }

    /** Signs this request's binding into the refresh token Keycloak is about to issue. */
    static void signInto(KeycloakSession session, RefreshToken refreshToken) {
        refreshToken.getOtherClaims().put(REFRESH_CLAIM, of(session));
    }

    /** What a refresh token with the pack's claim was issued for (none without it). */
    static List<String> signedIn(RefreshToken refreshToken) {
        Object signed = refreshToken.getOtherClaims().get(REFRESH_CLAIM);
        return signed instanceof List<?> values ? values.stream().map(String::valueOf).toList() : List.of();
    }
}
