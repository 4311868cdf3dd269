package dev.keycloakmcp.authorization;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.AuthorizationCodeGrantTypeFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;

import dev.keycloakmcp.core.KeycloakFeature;
import dev.keycloakmcp.core.KeycloakLine;

/**
 * Takes over Keycloak's {@code authorization_code} grant (same id, higher order) with {@link ResourceBoundCodeGrant},
 * on a Keycloak whose codes carry their resource (26.7); before, Keycloak's own grant runs and the client policy
 * binds the tokens ({@link AuthorizationPolicyExecutor}).
 */
public class ResourceBoundCodeGrantFactory extends AuthorizationCodeGrantTypeFactory {

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new ResourceBoundCodeGrant();
    }

    /**
     * Above Keycloak's (0) where codes carry their resource, below it elsewhere: Keycloak keeps the factory of the
     * highest order for an id (an unsupported factory would take the grant away instead).
     */
    @Override
    public int order() {
        return KeycloakLine.has(KeycloakFeature.RESOURCE_IN_CODES) ? 1 : -1;
    }
}
