package dev.keycloakmcp.cimd;

import java.util.Optional;
import java.util.Set;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.utils.RedirectUtils;

import dev.keycloakmcp.core.TimeAttribute;

/**
 * What a metadata-document client holds of its document: its redirect URIs, and until when the copy is trusted.
 * The expiry is a {@link TimeAttribute}, so every node of a cluster agrees; 0 (unknown) counts as expired.
 */
record DocumentCopy(String rootUrl, Set<String> redirectUris, long expires) {

    static final String EXPIRES_ATTRIBUTE = "mcp.document.expires";
    /** When the copy was fetched (epoch seconds), for admins. */
    static final String FETCHED_ATTRIBUTE = "mcp.document.fetched";
    /** Session attribute marking a client made from its document in this very request (no second fetch then). */
    private static final String FETCHED_IN_THIS_REQUEST = "mcp.document.fetched-in-request:";

    DocumentCopy {
        redirectUris = Set.copyOf(redirectUris);
    }

    static DocumentCopy of(ClientModel client) {
        return new DocumentCopy(client.getRootUrl(), client.getRedirectUris(), TimeAttribute.read(client, EXPIRES_ATTRIBUTE).orElse(0));
    }

    /**
     * The copy client {@code id} holds now, read in a transaction of its own: another request may have refreshed it
     * since this request's view of the client; empty if the client was removed.
     */
    static Optional<DocumentCopy> stored(KeycloakSession session, RealmModel realm, String id) {
        String realmId = realm.getId();
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(),
                own -> clientIn(own, realmId, id).map(DocumentCopy::of));
    }

    static Optional<ClientModel> clientIn(KeycloakSession session, String realmId, String id) {
        RealmModel realm = session.realms().getRealm(realmId);
        return Optional.ofNullable(realm == null ? null : session.clients().getClientById(realm, id));
    }

    static void markFetchedInThisRequest(KeycloakSession session, String clientId) {
        session.setAttribute(FETCHED_IN_THIS_REQUEST + clientId, Boolean.TRUE);
    }

    /**
     * Whether the copy {@code client} holds is past the time it may be trusted (or has no such time), unless it was
     * fetched for this very request.
     */
    static boolean isStale(KeycloakSession session, ClientModel client, long now) {
        return session.getAttribute(FETCHED_IN_THIS_REQUEST + client.getClientId()) == null && of(client).isExpired(now);
    }

    boolean isExpired(long now) {
        return now >= expires;
    }

    /** Whether {@code redirectUri} is one of this copy's, matched as Keycloak matches it (loopback on any port). */
    boolean lists(KeycloakSession session, String redirectUri) {
        return RedirectUtils.verifyRedirectUri(session, rootUrl, redirectUri, redirectUris, true) != null;
    }
}
