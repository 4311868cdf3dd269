package dev.keycloakmcp.admin;

import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
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

    /** Revokes {@code client}, a self-registered MCP client (the caller checked). */
    static Revoked revoke(KeycloakSession session, RealmModel realm, ClientModel client, String by) {
        McpClientKind kind = McpClientKind.of(client).orElseThrow();
        Optional<Long> blockedUntil = Optional.empty();
        if (kind == McpClientKind.METADATA_DOCUMENT) {
            long until = Time.currentTime() + DocumentClients.revokedBlock(realm).toSeconds();
            BlockedClients.of(session).block(realm, client.getClientId(), until);
            blockedUntil = Optional.of(until);
        }
        Revoked revoked = new Revoked(client.getId(), client.getClientId(), client.getName(), kind.value(), blockedUntil.orElse(null));
        new ClientManager(new RealmManager(session)).removeClient(realm, client);
        LOG.infof("MCP client '%s' (%s) of realm '%s' revoked by %s", revoked.name(), revoked.clientId(), realm.getName(), by);
        return revoked;
    }
}
