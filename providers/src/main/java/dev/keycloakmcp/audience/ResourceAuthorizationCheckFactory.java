package dev.keycloakmcp.audience;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProviderFactory;

public class ResourceAuthorizationCheckFactory implements AuthorizationEndpointCheckProviderFactory {

    public static final String ID = "mcp-resource";

    private static final ResourceAuthorizationCheck CHECK = new ResourceAuthorizationCheck();

    @Override
    public AuthorizationEndpointCheckProvider create(KeycloakSession session) {
        return CHECK;
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
        return ID;
    }
}
