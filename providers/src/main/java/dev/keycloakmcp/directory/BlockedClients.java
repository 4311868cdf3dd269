package dev.keycloakmcp.directory;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.EntityManager;

import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Metadata-document clients an admin revoked ({@link McpBlockedClientEntry}): until the block ends, their URL does not
 * become a client again. One primary-key read per new document client; ended blocks are dropped at the next block.
 */
public final class BlockedClients {

    /** The event error of a document client refused because an admin revoked it. */
    public static final String EVENT_ERROR = "mcp_client_revoked";

    private final EntityManager entities;

    private BlockedClients(EntityManager entities) {
        this.entities = entities;
    }

    public static BlockedClients of(KeycloakSession session) {
        return new BlockedClients(session.getProvider(JpaConnectionProvider.class).getEntityManager());
    }

    /** Blocks {@code clientId} (a document URL) in {@code realm} until {@code until} (epoch seconds). */
    public void block(RealmModel realm, String clientId, long until) {
        long now = Time.currentTime();
        // Ended blocks are dropped here, by an admin's change, so that reading the list stays a read.
        entities.createNamedQuery("mcpBlockedClientsExpired").setParameter("realmId", realm.getId()).setParameter("now", now).executeUpdate();
        McpBlockedClientEntry existing = entities.find(McpBlockedClientEntry.class, new McpBlockedClientEntry.Key(realm.getId(), clientId));
        if (existing == null) {
            entities.persist(new McpBlockedClientEntry(realm.getId(), clientId, now, until));
        } else {
            existing.blockAgain(now, until);
        }
    }

    /** Ends the block of {@code clientId}; false if there was none. */
    public boolean unblock(RealmModel realm, String clientId) {
        McpBlockedClientEntry existing = entities.find(McpBlockedClientEntry.class, new McpBlockedClientEntry.Key(realm.getId(), clientId));
        if (existing == null) {
            return false;
        }
        entities.remove(existing);
        return true;
    }

    /** The end of the block of {@code clientId}, if it is blocked now. */
    public Optional<Long> blockedUntil(RealmModel realm, String clientId) {
        McpBlockedClientEntry entry = entities.find(McpBlockedClientEntry.class, new McpBlockedClientEntry.Key(realm.getId(), clientId));
        return entry == null || entry.getUntil() <= Time.currentTime() ? Optional.empty() : Optional.of(entry.getUntil());
    }

    /** The realm's blocks in force, newest first, at most {@code max}. */
    public List<McpBlockedClientEntry> list(RealmModel realm, int max) {
        long now = Time.currentTime();
        return entities.createNamedQuery("mcpBlockedClients", McpBlockedClientEntry.class).setParameter("realmId", realm.getId())
                .setParameter("now", now).setMaxResults(max).getResultList();
    }
}
