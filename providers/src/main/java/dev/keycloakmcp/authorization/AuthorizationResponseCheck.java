package dev.keycloakmcp.authorization;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker;

import dev.keycloakmcp.core.Refusal;

/**
 * Where an MCP client's authorization response goes: never to a redirect URI on Keycloak's own origins, and only
 * in the query ({@link AuthorizationRequestRules}).
 */
class AuthorizationResponseCheck extends McpAuthorizationCheck {

    AuthorizationResponseCheck(KeycloakSession session) {
        super(session);
    }

    @Override
    void apply(AuthorizationEndpointChecker checker) throws Refusal {
        AuthorizationRequestRules.requireRedirectNotToKeycloak(session, checker.getRedirectUri());
        AuthorizationRequestRules.requireQueryResponseMode(checker.getAuthorizationEndpointRequest().getResponseMode());
    }
}
