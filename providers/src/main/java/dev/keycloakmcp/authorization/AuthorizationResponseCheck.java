package dev.keycloakmcp.authorization;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker.AuthorizationCheckException;

import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.Refusal;

/**
 * Where an MCP client's authorization response goes: never to a redirect URI on Keycloak's own origins, and only
 * in the query ({@link AuthorizationRequestRules}).
 */
class AuthorizationResponseCheck implements AuthorizationEndpointCheckProvider {

    private final KeycloakSession session;

    AuthorizationResponseCheck(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void check(AuthorizationEndpointChecker checker) throws AuthorizationCheckException {
        if (!McpClientKind.isMcpClient(checker.getClient())) {
            return;
        }
        try {
            AuthorizationRequestRules.requireRedirectNotToKeycloak(session, checker.getRedirectUri());
            AuthorizationRequestRules.requireQueryResponseMode(checker.getAuthorizationEndpointRequest().getResponseMode());
        } catch (Refusal refusal) {
            throw AuthorizationRefusal.answer(session, checker, refusal);
        }
    }

    @Override
    public void close() {
    }
}
