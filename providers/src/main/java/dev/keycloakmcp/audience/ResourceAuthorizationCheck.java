package dev.keycloakmcp.audience;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.models.RealmModel;
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
            requireUsable(checker.getRealm(), resource == null || resource.isBlank() ? Optional.empty() : Optional.of(resource));
        } catch (InvalidTarget refusal) {
            checker.getEventBuilder().detail(Details.REASON, refusal.getMessage()).error(OAuthErrorException.INVALID_TARGET);
            throw new AuthorizationCheckException(Response.Status.BAD_REQUEST, OAuthErrorException.INVALID_TARGET, refusal.getMessage());
        }
    }

    /**
     * Why an MCP client's authorization request with these {@code resource} values is refused ({@code invalid_target}),
     * or empty; for checks made before Keycloak parsed the request (a client made from a metadata document).
     */
    public static Optional<String> problem(RealmModel realm, List<String> resourceValues) {
        try {
            requireUsable(realm, ResourceRequest.single(resourceValues));
            return Optional.empty();
        } catch (InvalidTarget refusal) {
            return Optional.of(refusal.getMessage());
        }
    }

    private static void requireUsable(RealmModel realm, Optional<String> resource) {
        if (resource.isEmpty()) {
            if (RegistrationSettings.of(realm).requireResource()) {
                throw new InvalidTarget("The resource parameter (RFC 8707) naming the MCP server is required");
            }
            return;
        }
        ResourceRequest.requireRegistered(realm, resource.get());
    }

    @Override
    public void close() {
    }
}
