package dev.keycloakmcp.authorization;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProviderFactory;

/**
 * The factory of one of the pack's checks at the authorization endpoint, always on with nothing to configure.
 * An admin switches one off with {@code --spi-authorization-endpoint-check--<id>--enabled=false}.
 */
public abstract class AuthorizationCheckFactory implements AuthorizationEndpointCheckProviderFactory {

    private final String id;

    protected AuthorizationCheckFactory(String id) {
        this.id = id;
    }

    @Override
    public boolean isSupported(Config.Scope config) {
        return true;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return id;
    }
}
