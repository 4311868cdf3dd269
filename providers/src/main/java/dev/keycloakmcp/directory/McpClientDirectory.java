package dev.keycloakmcp.directory;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.keycloakmcp.core.ClientUsage;
import dev.keycloakmcp.core.McpClientKind;

/**
 * The realm's self-registered MCP clients as the pack's table {@code MCP_CLIENT} ({@link McpClientEntry}) lists them:
 * counted, capped, paged by last use with SQL and indexes, so that what a client waits on never reads the realm's
 * clients. A row is added in the transaction that creates the client and goes with the client (foreign key);
 * clients from before the table are added at start ({@link DirectoryBackfill}).
 */
public final class McpClientDirectory {

    private final EntityManager entities;

    private McpClientDirectory(EntityManager entities) {
        this.entities = entities;
    }

    public static McpClientDirectory of(KeycloakSession session) {
        return new McpClientDirectory(session.getProvider(JpaConnectionProvider.class).getEntityManager());
    }

    /** Lists a client that came by itself (registered, metadata document); other clients are not listed. */
    public void add(RealmModel realm, ClientModel client) {
        Optional<McpClientKind> kind = McpClientKind.of(client).filter(McpClientKind::isSelfRegistered);
        if (kind.isEmpty() || entities.find(McpClientEntry.class, client.getId()) != null) {
            return;
        }
        long now = Time.currentTime();
        entities.persist(new McpClientEntry(client.getId(), realm.getId(), kind.get().value(),
                kind.get() == McpClientKind.METADATA_DOCUMENT ? publishingHost(client.getClientId()).orElse(null) : null,
                now, ClientUsage.lastUsed(client).orElse(now)));
    }

    /**
     * Whether the realm holds at least {@code n} self-registered MCP clients. Reads up to {@code n} index entries (the
     * {@code n}th or none) rather than counting them all: what a cap check costs is bounded by the cap.
     */
    public boolean holdsAtLeast(RealmModel realm, int n) {
        return atLeast(entities.createNamedQuery("mcpClientIds", String.class).setParameter("realmId", realm.getId()), n);
    }

    /** Whether {@code host} published at least {@code n} of the realm's metadata-document clients. */
    public boolean hostHoldsAtLeast(RealmModel realm, String host, int n) {
        return atLeast(entities.createNamedQuery("mcpClientIdsOfHost", String.class).setParameter("realmId", realm.getId())
                .setParameter("host", host.toLowerCase(Locale.ROOT)), n);
    }

    private static boolean atLeast(TypedQuery<String> ids, int n) {
        return n <= 0 || !ids.setFirstResult(n - 1).setMaxResults(1).getResultList().isEmpty();
    }

    /** Records a use the client attribute recorded too ({@link ClientUsage}); never moves the time back. */
    public void recordUse(ClientModel client, long when) {
        entities.createNamedQuery("mcpClientRecordUse").setParameter("id", client.getId()).setParameter("lastUsed", when).executeUpdate();
    }

    /**
     * Up to {@code limit} of the realm's clients last used before {@code usedBefore}, oldest first, after the one
     * {@code after} (null: from the start): a reaper pass reads the realm a page at a time.
     */
    public List<McpClientEntry> unused(RealmModel realm, long usedBefore, McpClientEntry after, int limit) {
        return entities.createNamedQuery("mcpClientUnused", McpClientEntry.class)
                .setParameter("realmId", realm.getId()).setParameter("usedBefore", usedBefore)
                .setParameter("afterUsed", after == null ? Long.MIN_VALUE : after.getLastUsed())
                .setParameter("afterId", after == null ? "" : after.getId())
                .setMaxResults(limit).getResultList();
    }

    /**
     * A page of the realm's self-registered MCP clients that match {@code filter}: newest first, or least recently used
     * first when the filter asks for unused ones. Reads an index range, whatever the realm's size.
     */
    public List<McpClientEntry> page(RealmModel realm, McpClientFilter filter, int first, int max) {
        StringBuilder jpql = new StringBuilder("select e from McpClientEntry e where e.realmId = :realmId");
        filter.kind().ifPresent(kind -> jpql.append(" and e.kind = :kind"));
        filter.host().ifPresent(host -> jpql.append(" and e.host = :host"));
        filter.unusedSince().ifPresent(since -> jpql.append(" and e.lastUsed < :unusedSince"));
        jpql.append(filter.unusedSince().isPresent() ? " order by e.lastUsed, e.id" : " order by e.created desc, e.id desc");
        TypedQuery<McpClientEntry> query = entities.createQuery(jpql.toString(), McpClientEntry.class).setParameter("realmId", realm.getId());
        filter.kind().ifPresent(kind -> query.setParameter("kind", kind.value()));
        filter.host().ifPresent(host -> query.setParameter("host", host));
        filter.unusedSince().ifPresent(since -> query.setParameter("unusedSince", since));
        return query.setFirstResult(first).setMaxResults(max).getResultList();
    }

    /**
     * Ids of the realm's clients whose attribute {@code name} is {@code value}, by client id, at most {@code max}: the
     * MCP servers and admin-created MCP clients, which the directory does not list ({@link ClientsByAttribute}).
     */
    public List<String> idsWithAttribute(RealmModel realm, String name, String value, int max) {
        return ClientsByAttribute.ids(entities, realm.getId(), name, value, max);
    }

    /** The directory's row of a client, if it is listed. */
    public Optional<McpClientEntry> entry(String id) {
        return Optional.ofNullable(entities.find(McpClientEntry.class, id));
    }

    /** The ids of the document clients published by {@code domain} or its subdomains in the realm, at most {@code max}. */
    public List<String> idsOfDomain(RealmModel realm, String domain, int max) {
        String host = domain.toLowerCase(Locale.ROOT);
        return entities.createNamedQuery("mcpClientIdsOfDomain", String.class).setParameter("realmId", realm.getId())
                .setParameter("host", host).setParameter("subdomains", "%." + host.replace("%", "").replace("_", ""))
                .setMaxResults(max).getResultList();
    }

    /** Takes a client that is no longer a self-registered MCP client (an admin changed it) off the list. */
    public void remove(String id) {
        McpClientEntry entry = entities.find(McpClientEntry.class, id);
        if (entry != null) {
            entities.remove(entry);
        }
    }

    /** The host of a metadata-document client id (an https URL), lower case. */
    public static Optional<String> publishingHost(String clientId) {
        try {
            return Optional.ofNullable(URI.create(clientId).getHost()).map(host -> host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException notUrl) {
            return Optional.empty();
        }
    }
}
