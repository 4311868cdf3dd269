package dev.keycloakmcp.enterprise;

import jakarta.ws.rs.core.Response;

import org.keycloak.common.Profile;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;

/**
 * Keycloak's own JWT authorization grant (RFC 7523 with its identity providers, 26.5+, feature
 * {@code jwt-authorization-grant}, on by default), which shares the grant type the pack takes over: the realm's
 * non-MCP uses of it keep working through it. Absent before 26.5 and where the feature is off.
 */
final class KeycloakJwtGrant {

    static final String FACTORY = "org.keycloak.protocol.oidc.grants.JWTAuthorizationGrantTypeFactory";
    static final String FEATURE = "JWT_AUTHORIZATION_GRANT";

    private final OAuth2GrantTypeFactory factory;

    private KeycloakJwtGrant(OAuth2GrantTypeFactory factory) {
        this.factory = factory;
    }

    /** Keycloak's grant where this Keycloak has it and its feature is on. */
    static KeycloakJwtGrant detect() {
        try {
            if (!Profile.isFeatureEnabled(Profile.Feature.valueOf(FEATURE))) {
                return new KeycloakJwtGrant(null);
            }
            return new KeycloakJwtGrant((OAuth2GrantTypeFactory) Class.forName(FACTORY).getDeclaredConstructor().newInstance());
        } catch (IllegalArgumentException | ReflectiveOperationException | LinkageError before265) {
            return new KeycloakJwtGrant(null);
        }
    }

    boolean isAvailable() {
        return factory != null;
    }

    Response process(KeycloakSession session, OAuth2GrantType.Context context) {
        OAuth2GrantType grant = factory.create(session);
        try {
            return grant.process(context);
        } finally {
            grant.close();
        }
    }
}
