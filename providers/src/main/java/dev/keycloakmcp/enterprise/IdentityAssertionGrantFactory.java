package dev.keycloakmcp.enterprise;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;

/**
 * The {@code urn:ietf:params:oauth:grant-type:jwt-bearer} grant type with {@link IdentityAssertionGrant}, above
 * Keycloak's own (26.5+) for the same id, to which it hands the assertions of issuers it does not trust for ID-JAGs.
 */
public class IdentityAssertionGrantFactory implements OAuth2GrantTypeFactory {

    public static final String ID = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private KeycloakJwtGrant keycloakGrant;

    @Override
    public String getId() {
        return ID;
    }

    /** Keycloak's own factory's shortcut for this grant type, kept since this one replaces it. */
    @Override
    public String getShortcut() {
        return "ag";
    }

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new IdentityAssertionGrant(keycloakGrant);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        keycloakGrant = KeycloakJwtGrant.detect();
    }

    /** Above Keycloak's (0): Keycloak keeps the factory of the highest order for an id. */
    @Override
    public int order() {
        return 1;
    }

    @Override
    public void close() {
    }
}
