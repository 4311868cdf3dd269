package dev.keycloakmcp.audience;

import java.util.Optional;

import org.keycloak.OAuth2Constants;
import org.keycloak.models.AuthenticatedClientSessionModel;

/**
 * The MCP server a client session's tokens are bound to: the {@code resource} of the authorization the user
 * granted. Keycloak keeps it as the client-session note {@code resource}; every token of the session (code
 * exchange, refresh) takes its audience from there, so a token request cannot point a token elsewhere.
 */
public final class AuthorizedResource {

    private AuthorizedResource() {
    }

    public static Optional<String> of(AuthenticatedClientSessionModel clientSession) {
        String resource = clientSession == null ? null : clientSession.getNote(OAuth2Constants.RESOURCE);
        return resource == null || resource.isBlank() ? Optional.empty() : Optional.of(resource);
    }

    /**
     * Makes the session's tokens follow the grant of the code being exchanged, also when an earlier authorization
     * of the same sign-in named another server (or none).
     */
    static void bind(AuthenticatedClientSessionModel clientSession, String codeResource) {
        String bound = clientSession.getNote(OAuth2Constants.RESOURCE);
        if (codeResource == null || codeResource.isBlank()) {
            if (bound != null) {
                clientSession.removeNote(OAuth2Constants.RESOURCE);
            }
        } else if (!codeResource.equals(bound)) {
            // Written only when it changes: each write is a session update shared across the cluster.
            clientSession.setNote(OAuth2Constants.RESOURCE, codeResource);
        }
    }
}
