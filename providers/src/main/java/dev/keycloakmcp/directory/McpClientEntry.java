package dev.keycloakmcp.directory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One self-registered MCP client in table {@code MCP_CLIENT}: what counting, capping and reaping MCP clients need,
 * indexed, so that none of them reads the realm's clients. The row's id is the client's, and the database removes the
 * row with the client (a foreign key with {@code ON DELETE CASCADE}, see {@code META-INF/keycloak-mcp-changelog.xml}).
 */
@Entity
@Table(name = "MCP_CLIENT")
@NamedQueries({
        // Read with an offset to learn whether a cap is reached: cost bounded by the cap, not by the realm.
        @NamedQuery(name = "mcpClientIds", query = "select e.id from McpClientEntry e where e.realmId = :realmId"),
        @NamedQuery(name = "mcpClientIdsOfHost",
                query = "select e.id from McpClientEntry e where e.realmId = :realmId and e.host = :host"),
        // An admin blocking a domain: its host's clients and its subdomains' (a range of the realm's rows, rarely).
        @NamedQuery(name = "mcpClientIdsOfDomain",
                query = "select e.id from McpClientEntry e where e.realmId = :realmId and (e.host = :host or e.host like :subdomains)"),
        @NamedQuery(name = "mcpClientRecordUse",
                query = "update McpClientEntry e set e.lastUsed = :lastUsed where e.id = :id and e.lastUsed < :lastUsed"),
        // Keyset paging (last use, then id) so that a page of clients left in place is never read twice.
        @NamedQuery(name = "mcpClientUnused",
                query = "select e from McpClientEntry e where e.realmId = :realmId and e.lastUsed < :usedBefore"
                        + " and (e.lastUsed > :afterUsed or (e.lastUsed = :afterUsed and e.id > :afterId))"
                        + " order by e.lastUsed, e.id"),
})
public class McpClientEntry {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "KIND", length = 32, nullable = false)
    private String kind;

    /** The host that published a metadata-document client's document; null for a registered client. */
    @Column(name = "HOST")
    private String host;

    /** Epoch seconds. */
    @Column(name = "CREATED", nullable = false)
    private long created;

    /** Epoch seconds of the last use the pack recorded (as client attribute {@code mcp.last-used} too). */
    @Column(name = "LAST_USED", nullable = false)
    private long lastUsed;

    protected McpClientEntry() {
    }

    McpClientEntry(String id, String realmId, String kind, String host, long created, long lastUsed) {
        this.id = id;
        this.realmId = realmId;
        this.kind = kind;
        this.host = host;
        this.created = created;
        this.lastUsed = lastUsed;
    }

    public String getId() {
        return id;
    }

    public String getRealmId() {
        return realmId;
    }

    public String getKind() {
        return kind;
    }

    public String getHost() {
        return host;
    }

    public long getCreated() {
        return created;
    }

    public long getLastUsed() {
        return lastUsed;
    }
}
