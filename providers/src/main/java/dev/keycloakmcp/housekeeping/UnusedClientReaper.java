package dev.keycloakmcp.housekeeping;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import org.jboss.logging.Logger;
import org.keycloak.cluster.ClusterProvider;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.managers.ClientManager;
import org.keycloak.services.managers.RealmManager;
import org.keycloak.timer.ScheduledTask;

import dev.keycloakmcp.core.ClientUsage;
import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.McpRealm;
import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.directory.McpClientDirectory;
import dev.keycloakmcp.directory.McpClientEntry;
import dev.keycloakmcp.metrics.McpMetrics;

/**
 * The scheduled task that removes self-registered MCP clients unused for longer than the realm's lifespan.
 * Unused: no token ({@link ClientUsage}) within {@link McpRealmSettings#unusedClientLifespan}. It runs once per
 * interval across a cluster ({@link #run}), finds the candidates in the client directory by last use (never by
 * reading the realm's clients), logs and records a {@code CLIENT_DELETE} event for each removal, and logs each
 * realm's pass with its duration.
 */
class UnusedClientReaper implements ScheduledTask {

    static final String TASK_NAME = "mcp-unused-client-reaper";
    /** Cluster-wide marker of this interval's run, in Keycloak's single-use store. */
    static final String INTERVAL_MARKER = TASK_NAME + ":interval";
    static final String REASON = "unused";
    /** Clients read per page of a pass. */
    static final int PAGE = 100;
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
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        session.getProvider(ClusterProvider.class).executeIfNotExecuted(TASK_NAME, intervalSeconds, () -> {
            long now = Time.currentTime();
            LOG.debug("Looking for unused MCP clients");
            List<String> realmIds = KeycloakModelUtils.runJobInTransactionWithResult(factory, job -> job.realms().getRealmsStream()
                    .filter(McpRealm::isEnabled).map(RealmModel::getId).toList());
            realmIds.forEach(realmId -> reap(factory, realmId, now));
            return null;
        });
    }

    /**
     * One pass over a realm: its clients last used before the lifespan, read from the client directory a page at a
     * time in a short transaction of its own (bounded memory, no long-held locks), each removed in a transaction of
     * its own, so that a client removed meanwhile (or one that fails) does not keep the others.
     */
    private static void reap(KeycloakSessionFactory factory, String realmId, long now) {
        long started = System.nanoTime();
        long lifespan = KeycloakModelUtils.runJobInTransactionWithResult(factory,
                job -> McpRealmSettings.of(job.realms().getRealm(realmId)).unusedClientLifespan());
        if (lifespan <= 0) {
            return;
        }
        int candidates = 0;
        int removed = 0;
        McpClientEntry after = null;
        while (true) {
            McpClientEntry cursor = after;
            List<McpClientEntry> page = KeycloakModelUtils.runJobInTransactionWithResult(factory, job ->
                    McpClientDirectory.of(job).unused(job.realms().getRealm(realmId), now - lifespan, cursor, PAGE));
            for (McpClientEntry candidate : page) {
                boolean gone = KeycloakModelUtils.runJobInTransactionWithResult(factory,
                        job -> removeIfUnused(job, realmId, candidate.getId(), now, lifespan));
                removed += gone ? 1 : 0;
            }
            candidates += page.size();
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1);
        }
        if (candidates > 0) {
            String realmName = KeycloakModelUtils.runJobInTransactionWithResult(factory, job -> job.realms().getRealm(realmId).getName());
            LOG.infof("MCP client reaper: realm '%s': removed %d of %d unused MCP clients in %d ms", realmName, removed, candidates,
                    (System.nanoTime() - started) / 1_000_000);
            // Counted once their transactions committed: a removal that failed is not one.
            McpMetrics.reaped(realmName, removed);
        }
    }

    /** Removes the client unless it is in use after all (the directory behind its attribute) or no longer self-registered. */
    private static boolean removeIfUnused(KeycloakSession session, String realmId, String clientId, long now, long lifespan) {
        RealmModel realm = session.realms().getRealm(realmId);
        ClientModel client = realm == null ? null : realm.getClientById(clientId);
        if (client == null) {
            return false;
        }
        McpClientDirectory directory = McpClientDirectory.of(session);
        if (!McpClientKind.isSelfRegistered(client)) {
            // An admin made it an ordinary client, or one of their own: no longer the reaper's.
            directory.remove(clientId);
            return false;
        }
        OptionalLong lastUsed = ClientUsage.lastUsed(client);
        if (!ClientUsage.isUnused(lastUsed, now, lifespan)) {
            lastUsed.ifPresent(used -> directory.recordUse(client, used));
            return false;
        }
        session.getContext().setRealm(realm);
        String lastUse = Instant.ofEpochSecond(lastUsed.getAsLong()).toString();
        LOG.infof("Removing MCP client '%s' (%s) of realm '%s': no token since %s", client.getName(), client.getClientId(),
                realm.getName(), lastUse);
        new EventBuilder(realm, session).event(EventType.CLIENT_DELETE).client(client.getClientId())
                .detail(Details.REASON, REASON).detail("client_name", client.getName()).detail("last_used", lastUse)
                .success();
        new ClientManager(new RealmManager(session)).removeClient(realm, client);
        return true;
    }

    @Override
    public String getTaskName() {
        return TASK_NAME;
    }
}
