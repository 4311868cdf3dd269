package dev.keycloakmcp.authorization;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;

/** The {@code mcp-authorization-response} check: an MCP client's response goes to the client, in the query. */
public class AuthorizationResponseCheckFactory extends AuthorizationCheckFactory {

    public static final String ID = "mcp-authorization-response";

    public AuthorizationResponseCheckFactory() {
        super(ID);
    }

    @Override
    public AuthorizationEndpointCheckProvider create(KeycloakSession session) {
        return new McpAuthorizationCheck(new AuthorizationResponseCheck(session));
    }
}
