package dev.keycloakmcp.authorization;

import org.keycloak.models.KeycloakSession;

import dev.keycloakmcp.core.Refusal;

/**
 * The {@code mcp-authorization-response} check: an MCP client's response goes to the client, in the query.
 * The rules are {@link AuthorizationRequestRules#requireRedirectNotToKeycloak} and
 * {@link AuthorizationRequestRules#requireQueryResponseMode}.
 */
class AuthorizationResponseCheck implements McpAuthorizationRule {

    private final KeycloakSession session;

    AuthorizationResponseCheck(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void apply(McpAuthorizationRequest authorization) throws Refusal {
        AuthorizationRequestRules.requireRedirectNotToKeycloak(session, authorization.redirectUri());
        AuthorizationRequestRules.requireQueryResponseMode(authorization.request().getResponseMode());
    }

    @Override
    public String checkId() {
        return AuthorizationResponseCheckFactory.ID;
    }
}
