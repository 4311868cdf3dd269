package dev.keycloakmcp.machine;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.ClientCredentialsGrantTypeFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;

/**
 * Takes over Keycloak's {@code client_credentials} grant (same id, higher order) with
 * {@link MachineCredentialsGrant}; Keycloak's grant class is the same on every line the pack supports.
 */
public class MachineCredentialsGrantFactory extends ClientCredentialsGrantTypeFactory {

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new MachineCredentialsGrant();
    }

    /** Above Keycloak's (0): Keycloak keeps the factory of the highest order for an id. */
    @Override
    public int order() {
        return 1;
    }
}
