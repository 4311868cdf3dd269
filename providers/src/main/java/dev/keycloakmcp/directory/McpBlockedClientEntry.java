package dev.keycloakmcp.directory;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A metadata-document client an admin revoked, in table {@code MCP_BLOCKED_CLIENT}: its URL may not become a client
 * again before {@code until}. A table rather than a cache so that a block outlives restarts, and every node sees it.
 */
@Entity
@Table(name = "MCP_BLOCKED_CLIENT")
@IdClass(McpBlockedClientEntry.Key.class)
@NamedQueries({
        @NamedQuery(name = "mcpBlockedClients",
                query = "select b from McpBlockedClientEntry b where b.realmId = :realmId and b.until > :now order by b.blocked desc"),
        @NamedQuery(name = "mcpBlockedClientsExpired",
                query = "delete from McpBlockedClientEntry b where b.realmId = :realmId and b.until <= :now"),
})
public class McpBlockedClientEntry {

    @Id
    @Column(name = "REALM_ID", length = 36)
    private String realmId;

    /** The document's URL, the client id it had. */
    @Id
    @Column(name = "CLIENT_ID")
    private String clientId;

    /** Epoch seconds when it was blocked. */
    @Column(name = "BLOCKED", nullable = false)
    private long blocked;

    /** Epoch seconds from which it may come back. */
    @Column(name = "UNTIL", nullable = false)
    private long until;

    protected McpBlockedClientEntry() {
    }

    McpBlockedClientEntry(String realmId, String clientId, long blocked, long until) {
        this.realmId = realmId;
        this.clientId = clientId;
        this.blocked = blocked;
        this.until = until;
    }

    void blockAgain(long blocked, long until) {
        this.blocked = blocked;
        this.until = until;
    }

    public String getClientId() {
        return clientId;
    }

    public long getBlocked() {
        return blocked;
    }

    public long getUntil() {
        return until;
    }

    /** The composite primary key (realm, client id). */
    public static class Key implements Serializable {

        private String realmId;
        private String clientId;

        public Key() {
        }

        Key(String realmId, String clientId) {
            this.realmId = realmId;
            this.clientId = clientId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && realmId.equals(key.realmId) && clientId.equals(key.clientId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(realmId, clientId);
        }
    }
}
