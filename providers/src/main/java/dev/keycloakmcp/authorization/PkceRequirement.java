package dev.keycloakmcp.authorization;

import org.keycloak.protocol.oidc.endpoints.request.AuthorizationEndpointRequest;

import dev.keycloakmcp.core.Refusal;

/**
 * The {@code mcp-pkce} check: PKCE with S256 for every MCP client ({@link AuthorizationRequestRules#requireS256}).
 * Self-registered clients also carry Keycloak's own per-client PKCE setting; this check covers the ones an admin
 * marked as MCP clients by hand. Keycloak checks the challenge's syntax, and the verifier at the token endpoint.
 */
class PkceRequirement implements McpAuthorizationRule {

    @Override
    public void apply(McpAuthorizationRequest authorization) throws Refusal {
        AuthorizationEndpointRequest request = authorization.request();
        AuthorizationRequestRules.requireS256(request.getCodeChallenge(), request.getCodeChallengeMethod());
    }

    @Override
    public String checkId() {
        return PkceRequirementFactory.ID;
    }
}
