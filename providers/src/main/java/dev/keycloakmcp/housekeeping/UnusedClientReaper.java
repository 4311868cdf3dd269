package dev.keycloakmcp.housekeeping;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.jboss.logging.Logger;
import org.keycloak.cluster.ClusterProvider;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.managers.ClientManager;
import org.keycloak.services.managers.RealmManager;
import org.keycloak.timer.ScheduledTask;

import dev.keycloakmcp.core.ClientUsage;
import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.McpRealm;
import dev.keycloakmcp.core.McpRealmSettings;

/**
 * The scheduled task that removes self-registered MCP clients unused for longer than the realm's lifespan.
 * Unused: no token ({@link ClientUsage}) within {@link McpRealmSettings#unusedClientLifespan}. It runs once per
 * interval across a cluster ({@link #run}), and logs and records a {@code CLIENT_DELETE} event for each removal.
 */
class UnusedClientReaper implements ScheduledTask {

    static final String TASK_NAME = "mcp-unused-client-reaper";
    /** Cluster-wide marker of this interval's run, in Keycloak's single-use store. */
    static final String INTERVAL_MARKER = TASK_NAME + ":interval";
    static final String REASON = "unused";
    private static final Logger LOG = Logger.getLogger(UnusedClientReaper.class);

    private final int intervalSeconds;

    UnusedClientReaper(int intervalSeconds) {
        this.intervalSeconds = intervalSeconds;
    }

    @Override
    public void run(KeycloakSession session) {
        // Every node's timer fires once per interval, and Keycloak's task lock (below) only keeps two runs from
        // overlapping: it is released when a run ends, so each node would run in turn. The first node to mark the
        // interval runs; the marker lives a second less than the interval, so that node's next tick finds it gone.
        if (!session.singleUseObjects().putIfAbsent(INTERVAL_MARKER, Math.max(1, intervalSeconds - 1))) {
            return;
        }
        session.getProvider(ClusterProvider.class).executeIfNotExecuted(TASK_NAME, intervalSeconds, () -> {
            long now = Time.currentTime();
            LOG.debug("Looking for unused MCP clients");
            List<String[]> unused = session.realms().getRealmsStream().filter(McpRealm::isEnabled)
                    .flatMap(realm -> unusedClients(realm, now).map(client -> new String[] {realm.getId(), client.getId()}))
                    .toList();
            // One transaction per client: a client removed meanwhile (or one that fails) does not keep the others.
            for (String[] candidate : unused) {
                KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(),
                        job -> removeIfUnused(job, candidate[0], candidate[1], now));
            }
            return null;
        });
    }

    private static Stream<ClientModel> unusedClients(RealmModel realm, long now) {
        long lifespan = McpRealmSettings.of(realm).unusedClientLifespan();
        return realm.getClientsStream()
                .filter(McpClientKind::isSelfRegistered)
                .filter(client -> ClientUsage.isUnused(ClientUsage.lastUsed(client), now, lifespan));
    }

    private static void removeIfUnused(KeycloakSession session, String realmId, String clientId, long now) {
        RealmModel realm = session.realms().getRealm(realmId);
        ClientModel client = realm == null ? null : realm.getClientById(clientId);
        if (client == null || unusedClients(realm, now).noneMatch(c -> c.getId().equals(clientId))) {
            return;
        }
        session.getContext().setRealm(realm);
        String lastUsed = Instant.ofEpochSecond(ClientUsage.lastUsed(client).getAsLong()).toString();
        LOG.infof("Removing MCP client '%s' (%s) of realm '%s': no token since %s", client.getName(), client.getClientId(),
                realm.getName(), lastUsed);
        new EventBuilder(realm, session).event(EventType.CLIENT_DELETE).client(client.getClientId())
                .detail(Details.REASON, REASON).detail("client_name", client.getName()).detail("last_used", lastUsed)
                .success();
        new ClientManager(new RealmManager(session)).removeClient(realm, client);
    }

    @Override
    public String getTaskName() {
        return TASK_NAME;
    }
}
