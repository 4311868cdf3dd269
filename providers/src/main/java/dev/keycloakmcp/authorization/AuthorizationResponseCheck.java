package dev.keycloakmcp.authorization;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker;

import dev.keycloakmcp.core.Refusal;

/**
 * The {@code mcp-authorization-response} check: an MCP client's response goes to the client, in the query.
 * The rules are {@link AuthorizationRequestRules#requireRedirectNotToKeycloak} and
 * {@link AuthorizationRequestRules#requireQueryResponseMode}.
 */
class AuthorizationResponseCheck extends McpAuthorizationCheck {

    private final KeycloakSession session;

    AuthorizationResponseCheck(KeycloakSession session) {
        this.session = session;
    }

    @Override
    void apply(AuthorizationEndpointChecker checker) throws Refusal {
        AuthorizationRequestRules.requireRedirectNotToKeycloak(session, checker.getRedirectUri());
        AuthorizationRequestRules.requireQueryResponseMode(checker.getAuthorizationEndpointRequest().getResponseMode());
    }
}
