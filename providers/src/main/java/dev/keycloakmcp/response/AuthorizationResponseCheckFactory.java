package dev.keycloakmcp.response;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProviderFactory;

public class AuthorizationResponseCheckFactory implements AuthorizationEndpointCheckProviderFactory {

    public static final String ID = "mcp-authorization-response";

    @Override
    public AuthorizationEndpointCheckProvider create(KeycloakSession session) {
        return new AuthorizationResponseCheck(session);
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
