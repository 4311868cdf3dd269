package dev.keycloakmcp.authorization;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.AuthorizationCodeGrantTypeFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;

/** Takes over Keycloak's {@code authorization_code} grant (same id, higher order) with {@link ResourceBoundCodeGrant}. */
public class ResourceBoundCodeGrantFactory extends AuthorizationCodeGrantTypeFactory {

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new ResourceBoundCodeGrant();
    }

    @Override
    public int order() {
        return 1;
    }
}
