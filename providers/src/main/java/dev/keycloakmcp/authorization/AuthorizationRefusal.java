package dev.keycloakmcp.authorization;

import jakarta.ws.rs.core.Response;

import org.keycloak.events.Details;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker.AuthorizationCheckException;
import org.keycloak.services.ErrorPageException;

import dev.keycloakmcp.core.Refusal;

/**
 * How a check at the authorization endpoint answers a {@link Refusal}: recorded in the realm's events, then sent to
 * the client's redirect URI, which Keycloak has verified by now (RFC 6749 §4.1.2.1), or shown on an error page when
 * the refusal must not go there.
 */
final class AuthorizationRefusal {

    private AuthorizationRefusal() {
    }

    static AuthorizationCheckException answer(KeycloakSession session, AuthorizationEndpointChecker checker, Refusal refusal) {
        checker.getEventBuilder().detail(Details.REASON, refusal.description()).error(refusal.eventError());
        Response.Status status = Response.Status.fromStatusCode(refusal.status());
        if (!refusal.mayGoToRedirectUri()) {
            throw new ErrorPageException(session, status, refusal.description());
        }
        return new AuthorizationCheckException(status, refusal.error(), refusal.description());
    }
}
