package dev.keycloakmcp.authorization;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;

/** The {@code mcp-pkce} check: PKCE S256 for every MCP client. */
public class PkceRequirementFactory extends AuthorizationCheckFactory {

    public static final String ID = "mcp-pkce";

    public PkceRequirementFactory() {
        super(ID);
    }

    @Override
    public AuthorizationEndpointCheckProvider create(KeycloakSession session) {
        return new PkceRequirement(session);
    }
}
