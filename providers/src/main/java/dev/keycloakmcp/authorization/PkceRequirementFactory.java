package dev.keycloakmcp.authorization;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;

/** The {@code mcp-pkce} check: PKCE S256 for every MCP client. */
public class PkceRequirementFactory extends AuthorizationCheckFactory {

    public static final String ID = "mcp-pkce";

    /**
     * Stateless: one instance, so that Keycloak, which runs the checks in the order of their instances, runs them in
     * the same order for every request.
     */
    private static final McpAuthorizationCheck CHECK = new McpAuthorizationCheck(new PkceRequirement());

    public PkceRequirementFactory() {
        super(ID);
    }

    @Override
    public AuthorizationEndpointCheckProvider create(KeycloakSession session) {
        return CHECK;
    }
}
