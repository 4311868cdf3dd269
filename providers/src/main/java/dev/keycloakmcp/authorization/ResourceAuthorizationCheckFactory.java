package dev.keycloakmcp.authorization;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;

/** The {@code mcp-resource} check: an MCP client's {@code resource} names one registered MCP server. */
public class ResourceAuthorizationCheckFactory extends AuthorizationCheckFactory {

    public static final String ID = "mcp-resource";

    /**
     * Stateless: one instance, so that Keycloak, which runs the checks in the order of their instances, runs them in
     * the same order for every request.
     */
    private static final McpAuthorizationCheck CHECK = new McpAuthorizationCheck(new ResourceAuthorizationCheck());

    public ResourceAuthorizationCheckFactory() {
        super(ID);
    }

    @Override
    public AuthorizationEndpointCheckProvider create(KeycloakSession session) {
        return CHECK;
    }
}
