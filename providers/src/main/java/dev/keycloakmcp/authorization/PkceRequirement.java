package dev.keycloakmcp.authorization;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker.AuthorizationCheckException;
import org.keycloak.protocol.oidc.endpoints.request.AuthorizationEndpointRequest;

import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.Refusal;

/**
 * PKCE with S256 for every MCP client, however it was registered. Dynamically registered clients also carry
 * Keycloak's own per-client PKCE setting; this check covers the ones an admin marked as MCP clients by hand.
 * Keycloak has already checked the challenge's syntax and verifies the code verifier at the token endpoint for
 * every code that has a challenge.
 */
class PkceRequirement implements AuthorizationEndpointCheckProvider {

    private final KeycloakSession session;

    PkceRequirement(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void check(AuthorizationEndpointChecker checker) throws AuthorizationCheckException {
        if (!McpClientKind.isMcpClient(checker.getClient())) {
            return;
        }
        AuthorizationEndpointRequest request = checker.getAuthorizationEndpointRequest();
        try {
            AuthorizationRequestRules.requireS256(request.getCodeChallenge(), request.getCodeChallengeMethod());
        } catch (Refusal refusal) {
            throw AuthorizationRefusal.answer(session, checker, refusal);
        }
    }

    @Override
    public void close() {
    }
}
