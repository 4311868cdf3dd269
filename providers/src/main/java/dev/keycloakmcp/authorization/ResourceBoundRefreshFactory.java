package dev.keycloakmcp.authorization;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.refresh.RefreshTokenProvider;
import org.keycloak.protocol.oidc.refresh.RefreshTokenProviderFactory;

/** The {@code mcp-resource} refresh token provider: {@link ResourceBoundRefresh}, asked before Keycloak's default. */
public class ResourceBoundRefreshFactory implements RefreshTokenProviderFactory {

    public static final String ID = "mcp-resource";

    @Override
    public RefreshTokenProvider create(KeycloakSession session) {
        return new ResourceBoundRefresh(session);
    }

    /** Asked before Keycloak's default provider (order 0), which does the refresh itself; after OID4VCI's (10), which keeps its own tokens. */
    @Override
    public int order() {
        return 5;
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
        return ID;
    }
}
