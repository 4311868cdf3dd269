package dev.keycloakmcp.audience;

import java.util.Map;
import java.util.Optional;

import org.keycloak.OAuth2Constants;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.utils.OAuth2Code;
import org.keycloak.protocol.oidc.utils.OAuth2CodeParser;
import org.keycloak.representations.RefreshToken;
import org.keycloak.util.TokenUtil;

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
     * The authorization code of a token request, read without consuming it. Keycloak parses and removes the code
     * only after the pre-token client policies ran, so this is where the grant it carries can still be checked.
     */
    static Optional<PendingCode> peekCode(KeycloakSession session, RealmModel realm, String code) {
        if (code == null) {
            return Optional.empty();
        }
        String[] parts = code.split("\\.", 3);
        if (parts.length < 3) {
            return Optional.empty();
        }
        Map<String, String> data = session.singleUseObjects().get(OAuth2CodeParser.CACHE_KEY_PREFIX + parts[0]);
        if (data == null) {
            return Optional.empty();
        }
        OAuth2Code codeData = OAuth2Code.deserializeCode(data);
        UserSessionModel userSession = session.sessions().getUserSession(realm, parts[1]);
        if (userSession == null) {
            return Optional.empty();
        }
        AuthenticatedClientSessionModel clientSession = userSession.getAuthenticatedClientSessionByClient(parts[2]);
        return clientSession == null ? Optional.empty() : Optional.of(new PendingCode(codeData.getResource(), clientSession));
    }

    /** The client session a refresh token belongs to; an invalid token has none (Keycloak then refuses it). */
    static Optional<AuthenticatedClientSessionModel> ofRefreshToken(KeycloakSession session, RealmModel realm, ClientModel client,
            String refreshToken) {
        if (refreshToken == null) {
            return Optional.empty();
        }
        RefreshToken token = session.tokens().decode(refreshToken, RefreshToken.class);
        if (token == null || token.getSessionId() == null) {
            return Optional.empty();
        }
        UserSessionModel userSession = TokenUtil.TOKEN_TYPE_OFFLINE.equals(token.getType())
                ? session.sessions().getOfflineUserSession(realm, token.getSessionId())
                : session.sessions().getUserSession(realm, token.getSessionId());
        return userSession == null ? Optional.empty() : Optional.ofNullable(userSession.getAuthenticatedClientSessionByClient(client.getId()));
    }

    /** An unused authorization code: the resource it was granted for and the client session it will extend. */
    record PendingCode(String resource, AuthenticatedClientSessionModel clientSession) {

        /** Makes the session's tokens follow this code's grant, also when an earlier authorization named another server. */
        void bindClientSession() {
            String bound = clientSession.getNote(OAuth2Constants.RESOURCE);
            if (resource == null || resource.isBlank()) {
                if (bound != null) {
                    clientSession.removeNote(OAuth2Constants.RESOURCE);
                }
            } else if (!resource.equals(bound)) {
                // Written only when it changes: each write is a session update shared across the cluster.
                clientSession.setNote(OAuth2Constants.RESOURCE, resource);
            }
        }
    }
}
