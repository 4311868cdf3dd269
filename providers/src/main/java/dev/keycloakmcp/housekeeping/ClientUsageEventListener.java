package dev.keycloakmcp.housekeeping;

import org.keycloak.common.util.Time;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.keycloakmcp.core.ClientUsage;
import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.directory.McpClientDirectory;
import dev.keycloakmcp.directory.McpGrants;

/**
 * The {@code mcp-client-usage} event listener: records when a self-registered MCP client got a token.
 * Code exchange or refresh ({@link ClientUsage}, and the client directory), for the {@link UnusedClientReaper}.
 * A revoked grant (Account Console) also drops what the user granted the client ({@link McpGrants}).
 */
class ClientUsageEventListener implements EventListenerProvider {

    private final KeycloakSession session;

    ClientUsageEventListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getType() == EventType.REVOKE_GRANT) {
            forgetGrants(event);
            return;
        }
        if (event.getType() != EventType.CODE_TO_TOKEN && event.getType() != EventType.REFRESH_TOKEN) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        ClientModel client = realm == null || event.getClientId() == null ? null : realm.getClientByClientId(event.getClientId());
        if (!McpClientKind.isSelfRegistered(client)) {
            return;
        }
        long now = Time.currentTime();
        // Most tokens come within a second of the last recorded use: no need to read the realm's settings then.
        if (ClientUsage.usedSince(client, now - ClientUsage.MIN_WRITE_INTERVAL)) {
            return;
        }
        if (ClientUsage.recordUse(client, now, McpRealmSettings.of(realm).unusedClientLifespan())) {
            McpClientDirectory.of(session).recordUse(client, now);
        }
    }

    /** A user removed an MCP client in the Account Console: what they granted it is no longer theirs to show. */
    private void forgetGrants(Event event) {
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        ClientModel client = realm == null || event.getClientId() == null ? null : realm.getClientByClientId(event.getClientId());
        if (McpClientKind.isMcpClient(client) && event.getUserId() != null) {
            McpGrants.of(session).forget(client.getId(), event.getUserId());
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
    }

    @Override
    public void close() {
    }
}
