package dev.keycloakmcp.response;

import java.net.URI;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker.AuthorizationCheckException;
import org.keycloak.services.ErrorPageException;

import dev.keycloakmcp.model.McpClientKind;

/**
 * Where an MCP client's authorization response goes, checked at the authorization endpoint (PAR and request
 * objects included: Keycloak has parsed them by now): never to a redirect URI on Keycloak's own origins, and only in
 * the query. Registration refuses such redirect URIs already; this also covers clients an admin created, clients
 * registered before, and a loopback redirect URI registered without port, which matches any port (RFC 8252) —
 * Keycloak's own too when Keycloak runs on this computer.
 */
public class AuthorizationResponseCheck implements AuthorizationEndpointCheckProvider {

    private final KeycloakSession session;

    AuthorizationResponseCheck(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void check(AuthorizationEndpointChecker checker) throws AuthorizationCheckException {
        if (!McpClientKind.isMcpClient(checker.getClient())) {
            return;
        }
        Optional<String> redirectProblem = redirectUriProblem(session, checker.getRedirectUri());
        if (redirectProblem.isPresent()) {
            // An error page, not a redirect: an error sent there would be passed on like a code.
            checker.getEventBuilder().detail(Details.REASON, redirectProblem.get()).error(Errors.INVALID_REDIRECT_URI);
            throw new ErrorPageException(session, Response.Status.BAD_REQUEST, redirectProblem.get());
        }
        Optional<String> responseModeProblem = ResponseMode.problem(checker.getAuthorizationEndpointRequest().getResponseMode());
        if (responseModeProblem.isPresent()) {
            checker.getEventBuilder().detail(Details.REASON, responseModeProblem.get()).error(Errors.INVALID_REQUEST);
            throw new AuthorizationCheckException(Response.Status.BAD_REQUEST, OAuthErrorException.INVALID_REQUEST, responseModeProblem.get());
        }
    }

    /**
     * Why an MCP client's response may not go to {@code redirectUri} (one Keycloak has verified against the client's),
     * or empty: it is on one of Keycloak's own origins.
     */
    public static Optional<String> redirectUriProblem(KeycloakSession session, String redirectUri) {
        if (redirectUri == null) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(redirectUri);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return KeycloakOrigins.of(session).originOf(uri)
                .map(origin -> "redirect_uri is on this server's own origin " + origin + ": the answer would go back to Keycloak, not to the client");
    }

    @Override
    public void close() {
    }
}
