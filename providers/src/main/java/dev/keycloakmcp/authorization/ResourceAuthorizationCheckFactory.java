package dev.keycloakmcp.authorization;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;

/** The {@code mcp-resource} check: an MCP client's {@code resource} names one registered MCP server. */
public class ResourceAuthorizationCheckFactory extends AuthorizationCheckFactory {

    public static final String ID = "mcp-resource";

    public ResourceAuthorizationCheckFactory() {
        super(ID);
    }

    @Override
    public AuthorizationEndpointCheckProvider create(KeycloakSession session) {
        return new ResourceAuthorizationCheck(session);
    }
}
