package dev.keycloakmcp.spring;

import java.util.Collection;
import java.util.List;

import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * Keycloak's introspection answer (RFC 7662) accepted only for an access token of this realm issued for this MCP server.
 * {@code active} alone is not enough: Keycloak answers active for every valid token of the realm, including those
 * issued for another MCP server (RFC 8707 audience) and refresh tokens. A refusal is {@code 401 invalid_token}.
 */
final class AudienceBoundIntrospector implements OpaqueTokenIntrospector {

    private final OpaqueTokenIntrospector delegate;
    private final String issuer;
    private final String resource;

    AudienceBoundIntrospector(OpaqueTokenIntrospector delegate, String issuer, String resource) {
        this.delegate = delegate;
        this.issuer = issuer;
        this.resource = resource;
    }

    @Override
    public OAuth2AuthenticatedPrincipal introspect(String token) {
        OAuth2AuthenticatedPrincipal principal = delegate.introspect(token);
        // Spring may have turned iss into a URL: compare text.
        if (!issuer.equals(String.valueOf(principal.getAttributes().get("iss")))) {
            throw new BadOpaqueTokenException("Token from another issuer");
        }
        Object type = principal.getAttributes().get("typ");
        if (type != null && !"Bearer".equalsIgnoreCase(type.toString())) {
            throw new BadOpaqueTokenException("Not an access token");
        }
        if (!audiences(principal.getAttributes().get("aud")).contains(resource)) {
            throw new BadOpaqueTokenException("Token not issued for this MCP server");
        }
        return principal;
    }

    private static Collection<?> audiences(Object aud) {
        if (aud instanceof Collection<?> list) {
            return list;
        }
        return aud == null ? List.of() : List.of(aud.toString());
    }
}
