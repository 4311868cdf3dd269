package dev.keycloakmcp.device;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.device.DeviceGrantTypeFactory;

/**
 * Takes over Keycloak's device-code grant (same id, higher order) with {@link DeviceCodeGrant}, on every line: the
 * grant and the device code's storage are the same from 26.2 to 26.7. Supported where Keycloak's is (its device flow
 * feature).
 */
public class DeviceCodeGrantFactory extends DeviceGrantTypeFactory {

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new DeviceCodeGrant();
    }

    /** Above Keycloak's (0): Keycloak keeps the factory of the highest order for an id. */
    @Override
    public int order() {
        return 1;
    }
}
