package dev.keycloakmcp.admin;

import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.managers.ClientManager;
import org.keycloak.services.managers.RealmManager;

import dev.keycloakmcp.cimd.DocumentClients;
import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.directory.BlockedClients;

/**
 * An admin cutting a self-registered MCP client off in one step. The client is removed, as Keycloak removes any
 * client: its consents, user and offline sessions go with it, its refresh tokens stop working and introspection
 * calls its access tokens inactive (MCP servers that cache introspection notice within their cache period). A
 * metadata-document client would be made again at its next authorization request, so its URL is blocked for the
 * realm's configured time ({@link BlockedClients}); a registered client can only register anew, as a new client that
 * users must consent to again.
 */
final class ClientRevocation {

    private static final Logger LOG = Logger.getLogger(ClientRevocation.class);

    /** What was revoked, for the answer and the admin event. */
    record Revoked(String id, String clientId, String name, String kind, Long blockedUntil) {
    }

    private ClientRevocation() {
    }

    /**
     * Revokes self-registered MCP client {@code id} in a transaction of its own, so that another removal of the same
     * client at the same moment (a second admin, the reaper) costs only this one: empty if the client is gone.
     *
     * @param blockDocument whether a metadata-document client's URL is blocked for the realm's time (not when its whole
     *                      host is being blocked: the denied domain keeps it out)
     */
    static Optional<Revoked> revoke(KeycloakSession session, RealmModel realm, String id, boolean blockDocument, String by) {
        String realmId = realm.getId();
        Optional<Revoked> revoked;
        try {
            revoked = KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), own -> {
                RealmModel ownRealm = own.realms().getRealm(realmId);
                own.getContext().setRealm(ownRealm);
                ClientModel client = own.clients().getClientById(ownRealm, id);
                Optional<McpClientKind> kind = McpClientKind.of(client).filter(McpClientKind::isSelfRegistered);
                if (kind.isEmpty()) {
                    return Optional.<Revoked>empty();
                }
                Long blockedUntil = null;
                if (blockDocument && kind.get() == McpClientKind.METADATA_DOCUMENT) {
                    blockedUntil = Time.currentTime() + DocumentClients.revokedBlock(ownRealm).toSeconds();
                    BlockedClients.of(own).block(ownRealm, client.getClientId(), blockedUntil);
                }
                Revoked done = new Revoked(client.getId(), client.getClientId(), client.getName(), kind.get().value(), blockedUntil);
                new ClientManager(new RealmManager(own)).removeClient(ownRealm, client);
                return Optional.of(done);
            });
        } catch (RuntimeException removedMeanwhile) {
            // Keycloak's removal of a client another transaction removed first fails at its flush or commit.
            LOG.debugf(removedMeanwhile, "MCP client %s of realm '%s' was removed by another request", id, realm.getName());
            return Optional.empty();
        }
        revoked.ifPresent(r -> LOG.infof("MCP client '%s' (%s) of realm '%s' revoked by %s", r.name(), r.clientId(), realm.getName(), by));
        return revoked;
    }
}
