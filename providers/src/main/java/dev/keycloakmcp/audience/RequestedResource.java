package dev.keycloakmcp.audience;

import java.util.List;
import java.util.Optional;

import org.keycloak.OAuth2Constants;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientSessionContext;

/**
 * Where the {@code resource} of a token lives: the token request's own parameter when the client sent one
 * (Keycloak puts it in the client-session context for code and refresh grants), else the one of the
 * authorization request, which Keycloak keeps as a client-session note.
 */
public final class RequestedResource {

    private RequestedResource() {
    }

    public static Optional<String> of(ClientSessionContext clientSessionCtx) {
        String fromTokenRequest = clientSessionCtx.getAttribute(OAuth2Constants.RESOURCE, String.class);
        if (fromTokenRequest != null && !fromTokenRequest.isBlank()) {
            return Optional.of(fromTokenRequest);
        }
        AuthenticatedClientSessionModel clientSession = clientSessionCtx.getClientSession();
        String fromAuthorization = clientSession == null ? null : clientSession.getNote(OAuth2Constants.RESOURCE);
        return fromAuthorization == null || fromAuthorization.isBlank() ? Optional.empty() : Optional.of(fromAuthorization);
    }

    /** All {@code resource} values of a request, ignoring empty ones. */
    public static List<String> values(List<String> parameter) {
        return parameter == null ? List.of() : parameter.stream().filter(v -> v != null && !v.isBlank()).toList();
    }
}
