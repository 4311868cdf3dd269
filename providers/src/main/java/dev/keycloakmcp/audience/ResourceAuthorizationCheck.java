package dev.keycloakmcp.audience;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker.AuthorizationCheckException;

import dev.keycloakmcp.audience.ResourceRequest.InvalidTarget;
import dev.keycloakmcp.model.McpClientKind;
import dev.keycloakmcp.registration.RegistrationSettings;

/**
 * At the authorization endpoint, an MCP client's {@code resource} must name one MCP server registered in the realm
 * ({@code invalid_target} otherwise, sent to the already verified redirect URI). The parsed request also covers PAR
 * and request objects, whose {@code resource} is not in the query string. With the realm's <em>Require resource</em>
 * setting, a request without {@code resource} is refused too.
 */
public class ResourceAuthorizationCheck implements AuthorizationEndpointCheckProvider {

    @Override
    public void check(AuthorizationEndpointChecker checker) throws AuthorizationCheckException {
        if (!McpClientKind.isMcpClient(checker.getClient())) {
            return;
        }
        try {
            ResourceRequest.single(checker.getQueryParams().get(OAuth2Constants.RESOURCE));
            String resource = checker.getAuthorizationEndpointRequest().getResource();
            if (resource == null || resource.isBlank()) {
                if (RegistrationSettings.of(checker.getRealm()).requireResource()) {
                    throw new InvalidTarget("The resource parameter (RFC 8707) naming the MCP server is required");
                }
                return;
            }
            ResourceRequest.requireRegistered(checker.getRealm(), resource);
        } catch (InvalidTarget refusal) {
            checker.getEventBuilder().detail(Details.REASON, refusal.getMessage()).error(OAuthErrorException.INVALID_TARGET);
            throw new AuthorizationCheckException(Response.Status.BAD_REQUEST, OAuthErrorException.INVALID_TARGET, refusal.getMessage());
        }
    }

    @Override
    public void close() {
    }
}
