package dev.keycloakmcp.directory;

import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.cluster.ClusterProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import dev.keycloakmcp.core.McpClientKind;

/**
 * Lists in {@link McpClientDirectory} the self-registered MCP clients that were made without it: by an older version
 * of the pack, or by a realm import (a realm file exported from another installation). Once per realm (realm attribute
 * {@value #LISTED_ATTRIBUTE}) at start, on one node of a cluster; and for each realm created or imported.
 */
final class DirectoryBackfill {

    /** Set on a realm once its clients are listed. */
    static final String LISTED_ATTRIBUTE = "mcp.directory-listed";
    private static final String TASK = "mcp-client-directory-backfill";
    private static final int PAGE = 500;
    private static final Logger LOG = Logger.getLogger(DirectoryBackfill.class);

    private DirectoryBackfill() {
    }

    /** At start: every realm not listed yet, each in transactions of its own. */
    static void run(KeycloakSessionFactory factory) {
        List<String> realmIds = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> session.realms()
                .getRealmsStream().filter(realm -> realm.getAttribute(LISTED_ATTRIBUTE) == null).map(RealmModel::getId).toList());
        if (realmIds.isEmpty()) {
            return;
        }
        KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(ClusterProvider.class)
                .executeIfNotExecuted(TASK, 3600, () -> {
                    realmIds.forEach(realmId -> listInPages(factory, realmId));
                    return null;
                }));
    }

    /** A realm just created or imported, in its creating transaction: its clients came with it. */
    static void listCreated(KeycloakSession session, RealmModel realm) {
        McpClientDirectory directory = McpClientDirectory.of(session);
        realm.getClientsStream().filter(McpClientKind::isSelfRegistered).forEach(client -> directory.add(realm, client));
        realm.setAttribute(LISTED_ATTRIBUTE, "true");
    }

    /**
     * A page of the realm's clients per transaction: bounded memory however many clients there are. Once per realm,
     * so reading all of them is affordable; Keycloak cannot search clients by {@value McpClientKind#ATTRIBUTE} (not a
     * searchable attribute) without an option the admin would have to set.
     */
    private static void listInPages(KeycloakSessionFactory factory, String realmId) {
        try {
            long listed = 0;
            for (int first = 0; ; first += PAGE) {
                int from = first;
                long[] page = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
                    RealmModel realm = session.realms().getRealm(realmId);
                    McpClientDirectory directory = McpClientDirectory.of(session);
                    List<ClientModel> clients = realm.getClientsStream(from, PAGE).toList();
                    List<ClientModel> mcpClients = clients.stream().filter(McpClientKind::isSelfRegistered).toList();
                    mcpClients.forEach(client -> directory.add(realm, client));
                    return new long[] {clients.size(), mcpClients.size()};
                });
                listed += page[1];
                if (page[0] < PAGE) {
                    break;
                }
            }
            KeycloakModelUtils.runJobInTransaction(factory, session -> session.realms().getRealm(realmId).setAttribute(LISTED_ATTRIBUTE, "true"));
            if (listed > 0) {
                LOG.infof("Listed %d MCP clients of realm %s made before the pack's client directory", listed, realmId);
            }
        } catch (RuntimeException e) {
            // Left unmarked: the next start tries again; until then the realm's older clients are neither counted nor reaped.
            LOG.warnf("Could not list the MCP clients of realm %s: %s", realmId, e.getMessage());
        }
    }
}
