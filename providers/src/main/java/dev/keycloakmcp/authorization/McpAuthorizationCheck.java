package dev.keycloakmcp.authorization;

import jakarta.ws.rs.core.Response;

import org.keycloak.events.Details;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker.AuthorizationCheckException;
import org.keycloak.services.ErrorPageException;
import org.keycloak.utils.KeycloakSessionUtil;

import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.Refusal;

/**
 * The base of the pack's authorization-endpoint checks: MCP clients only, after Keycloak verified the redirect URI.
 * A {@link Refusal} is answered here, in one place: recorded in the realm's events, then sent to that redirect URI
 * (RFC 6749 §4.1.2.1), or shown on an error page when it must not go there.
 */
abstract class McpAuthorizationCheck implements AuthorizationEndpointCheckProvider {

    /** The rule, for an MCP client's request. */
    abstract void apply(AuthorizationEndpointChecker checker) throws Refusal;

    @Override
    public final void check(AuthorizationEndpointChecker checker) throws AuthorizationCheckException {
        if (!McpClientKind.isMcpClient(checker.getClient())) {
            return;
        }
        try {
            apply(checker);
        } catch (Refusal refusal) {
            checker.getEventBuilder().detail(Details.REASON, refusal.description()).error(refusal.eventError());
            Response.Status status = Response.Status.fromStatusCode(refusal.status());
            if (!refusal.mayGoToRedirectUri()) {
                throw new ErrorPageException(KeycloakSessionUtil.getKeycloakSession(), status, refusal.description());
            }
            throw new AuthorizationCheckException(status, refusal.error(), refusal.description());
        }
    }

    @Override
    public void close() {
    }
}
