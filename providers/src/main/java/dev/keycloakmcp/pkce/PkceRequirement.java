package dev.keycloakmcp.pkce;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker.AuthorizationCheckException;
import org.keycloak.protocol.oidc.endpoints.request.AuthorizationEndpointRequest;

import dev.keycloakmcp.model.McpClientKind;

/**
 * PKCE with S256 for every MCP client, however it was registered (OAuth 2.1, MCP authorization). Dynamically
 * registered clients also carry Keycloak's own per-client PKCE setting; this check covers the ones an admin marked
 * as MCP clients by hand. Keycloak has already checked the challenge's syntax and verifies the code verifier at the
 * token endpoint for every code that has a challenge.
 */
public class PkceRequirement implements AuthorizationEndpointCheckProvider {

    static final String S256 = "S256";

    @Override
    public void check(AuthorizationEndpointChecker checker) throws AuthorizationCheckException {
        if (!McpClientKind.isMcpClient(checker.getClient())) {
            return;
        }
        AuthorizationEndpointRequest request = checker.getAuthorizationEndpointRequest();
        String problem = problem(request.getCodeChallenge(), request.getCodeChallengeMethod());
        if (problem != null) {
            checker.getEventBuilder().detail(Details.REASON, problem).error(Errors.INVALID_REQUEST);
            throw new AuthorizationCheckException(Response.Status.BAD_REQUEST, OAuthErrorException.INVALID_REQUEST, problem);
        }
    }

    /** What is wrong with a request's PKCE parameters, or null. */
    public static String problem(String codeChallenge, String codeChallengeMethod) {
        if (codeChallenge == null || codeChallenge.isEmpty()) {
            return "Missing parameter: code_challenge (PKCE with S256 is required)";
        }
        if (!S256.equals(codeChallengeMethod)) {
            return "Invalid parameter: code_challenge_method must be S256";
        }
        return null;
    }

    @Override
    public void close() {
    }
}
