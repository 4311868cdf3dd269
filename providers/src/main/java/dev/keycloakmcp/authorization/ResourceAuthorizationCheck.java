package dev.keycloakmcp.authorization;

import java.util.List;

import org.keycloak.OAuth2Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker.AuthorizationCheckException;

import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.Refusal;

/**
 * At the authorization endpoint, an MCP client's {@code resource} must name one MCP server registered in the realm
 * ({@link AuthorizationRequestRules#requireMcpServer}); the refusal goes to the already verified redirect URI. The
 * parsed request also covers PAR and request objects, whose {@code resource} is not in the query string; more than
 * one value in the query is refused too.
 */
class ResourceAuthorizationCheck implements AuthorizationEndpointCheckProvider {

    private final KeycloakSession session;

    ResourceAuthorizationCheck(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void check(AuthorizationEndpointChecker checker) throws AuthorizationCheckException {
        if (!McpClientKind.isMcpClient(checker.getClient())) {
            return;
        }
        try {
            ResourceRequest.single(checker.getQueryParams().get(OAuth2Constants.RESOURCE));
            String resource = checker.getAuthorizationEndpointRequest().getResource();
            AuthorizationRequestRules.requireMcpServer(checker.getRealm(), resource == null ? List.of() : List.of(resource));
        } catch (Refusal refusal) {
            throw AuthorizationRefusal.answer(session, checker, refusal);
        }
    }

    @Override
    public void close() {
    }
}
