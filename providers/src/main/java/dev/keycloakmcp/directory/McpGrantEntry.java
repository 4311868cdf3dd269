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
 * A user's grant of an MCP server to an MCP client, in table {@code MCP_GRANT}: Keycloak's consent records scopes,
 * not the MCP server (the {@code resource}) a user authorized, which is what an admin revoking access needs to see.
 * Written at the code exchange; goes with the client (foreign key with {@code ON DELETE CASCADE}).
 */
@Entity
@Table(name = "MCP_GRANT")
@IdClass(McpGrantEntry.Key.class)
@NamedQueries({
        @NamedQuery(name = "mcpGrantsRemoveOfUserAndClient",
                query = "delete from McpGrantEntry g where g.clientId = :clientId and g.userId = :userId"),
        @NamedQuery(name = "mcpGrantsRemoveOfUser", query = "delete from McpGrantEntry g where g.userId = :userId"),
})
public class McpGrantEntry {

    @Id
    @Column(name = "CLIENT_ID", length = 36)
    private String clientId;

    @Id
    @Column(name = "USER_ID", length = 36)
    private String userId;

    /** The canonical URL of the MCP server (its client id). */
    @Id
    @Column(name = "SERVER")
    private String server;

    /** Epoch seconds of the latest code exchange for this grant. */
    @Column(name = "GRANTED", nullable = false)
    private long granted;

    protected McpGrantEntry() {
    }

    McpGrantEntry(String clientId, String userId, String server, long granted) {
        this.clientId = clientId;
        this.userId = userId;
        this.server = server;
        this.granted = granted;
    }

    void grantedAgainAt(long when) {
        this.granted = when;
    }

    /** The composite primary key (client, user, server). */
    public static class Key implements Serializable {

        private String clientId;
        private String userId;
        private String server;

        public Key() {
        }

        Key(String clientId, String userId, String server) {
            this.clientId = clientId;
            this.userId = userId;
            this.server = server;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && clientId.equals(key.clientId) && userId.equals(key.userId) && server.equals(key.server);
        }

        @Override
        public int hashCode() {
            return Objects.hash(clientId, userId, server);
        }
    }
}
