package dev.keycloakmcp.directory;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/**
 * Which users granted an MCP client which MCP server ({@link McpGrantEntry}). A grant counts while the user's consent
 * to the client stands (the Account Console and the admin console remove consents), or, for a client that asks no
 * consent, as long as the client exists.
 */
public final class McpGrants {

    /** One user's grant of one MCP server, as an admin sees it. */
    public record Grant(String userId, String username, String server, long granted) {
    }

    // A grant stands while the consent does; clients that ask none keep theirs. Keycloak's own tables, read-only;
    // {h-schema} is Keycloak's database schema where one is configured.
    private static final String STANDING = " from {h-schema}MCP_GRANT g join {h-schema}CLIENT c on c.ID = g.CLIENT_ID"
            + " left join {h-schema}USER_CONSENT uc on uc.CLIENT_ID = g.CLIENT_ID and uc.USER_ID = g.USER_ID"
            + " left join {h-schema}USER_ENTITY u on u.ID = g.USER_ID"
            + " where (uc.ID is not null or c.CONSENT_REQUIRED = ?) ";

    private final EntityManager entities;

    private McpGrants(EntityManager entities) {
        this.entities = entities;
    }

    public static McpGrants of(KeycloakSession session) {
        return new McpGrants(session.getProvider(JpaConnectionProvider.class).getEntityManager());
    }

    /** Records that {@code userId} authorized client {@code clientId} (internal id) for MCP server {@code server} at {@code when}. */
    public void record(String clientId, String userId, String server, long when) {
        McpGrantEntry existing = entities.find(McpGrantEntry.class, new McpGrantEntry.Key(clientId, userId, server));
        if (existing == null) {
            entities.persist(new McpGrantEntry(clientId, userId, server, when));
        } else {
            existing.grantedAgainAt(when);
        }
    }

    /** Forgets what {@code userId} granted the client (its consent was revoked). */
    public void forget(String clientId, String userId) {
        entities.createNamedQuery("mcpGrantsRemoveOfUserAndClient").setParameter("clientId", clientId).setParameter("userId", userId)
                .executeUpdate();
    }

    /** Forgets every grant of a user who was removed. */
    public void forgetUser(String userId) {
        entities.createNamedQuery("mcpGrantsRemoveOfUser").setParameter("userId", userId).executeUpdate();
    }

    /** The standing grants of a client, newest first, at most {@code max}. */
    @SuppressWarnings("unchecked")
    public List<Grant> of(String clientId, int max) {
        List<Object[]> rows = entities.createNativeQuery("select g.USER_ID, u.USERNAME, g.SERVER, g.GRANTED" + STANDING
                        + " and g.CLIENT_ID = ? order by g.GRANTED desc, g.USER_ID")
                .setParameter(1, Boolean.FALSE).setParameter(2, clientId)
                .setMaxResults(max).getResultList();
        return rows.stream().map(row -> new Grant((String) row[0], (String) row[1], (String) row[2], ((Number) row[3]).longValue()))
                .toList();
    }

    /** How many users hold a standing grant, per client (internal ids); clients with none are absent. */
    @SuppressWarnings("unchecked")
    public Map<String, Long> usersPerClient(List<String> clientIds) {
        Map<String, Long> users = new HashMap<>();
        if (clientIds.isEmpty()) {
            return users;
        }
        Query query = entities.createNativeQuery("select g.CLIENT_ID, count(distinct g.USER_ID)" + STANDING
                + " and g.CLIENT_ID in (" + String.join(", ", Collections.nCopies(clientIds.size(), "?")) + ") group by g.CLIENT_ID");
        query.setParameter(1, Boolean.FALSE);
        for (int i = 0; i < clientIds.size(); i++) {
            query.setParameter(i + 2, clientIds.get(i));
        }
        for (Object[] row : (List<Object[]>) query.getResultList()) {
            users.put((String) row[0], ((Number) row[1]).longValue());
        }
        return users;
    }
}
