package dev.keycloakmcp.housekeeping;

import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.keycloakmcp.authorization.GrantRecord;
import dev.keycloakmcp.core.ClientUsage;
import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.directory.McpClientDirectory;
import dev.keycloakmcp.directory.McpGrants;

/**
 * The {@code mcp-client-usage} event listener: records when a self-registered MCP client got a token.
 * Every grant that gives an MCP client a user's token counts: code exchange, refresh, device code, and an ID-JAG
 * ({@link ClientUsage}, and the client directory), for the {@link UnusedClientReaper}; a client used only through the
 * device grant or ID-JAGs would otherwise be reaped as unused.
 * A code exchange also records which MCP server the user granted the client ({@link GrantRecord}); a grant removed in
 * the Account Console drops it ({@link McpGrants}).
 */
class ClientUsageEventListener implements EventListenerProvider {

    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

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
        if (!isTokenIssued(event)) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        ClientModel client = realm == null || event.getClientId() == null ? null : realm.getClientByClientId(event.getClientId());
        if (event.getType() == EventType.CODE_TO_TOKEN && McpClientKind.isMcpClient(client)) {
            GrantRecord.afterCodeExchange(session, realm, client, event.getUserId());
        }
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

    /**
     * A token issued to a client: the event types of the code, refresh and device grants, and the jwt-bearer grant by
     * its {@code grant_type} detail (its event type is {@code JWT_AUTHORIZATION_GRANT} on 26.5+, {@code LOGIN} before).
     */
    static boolean isTokenIssued(Event event) {
        return event.getType() == EventType.CODE_TO_TOKEN || event.getType() == EventType.REFRESH_TOKEN
                || event.getType() == EventType.OAUTH2_DEVICE_CODE_TO_TOKEN
                || (event.getError() == null && event.getDetails() != null && JWT_BEARER.equals(event.getDetails().get(Details.GRANT_TYPE)));
    }

    /**
     * A user removed an MCP client's access in the Account Console (the event is the console's; the client removed is
     * its {@code revoked_client} detail): what they granted it is no longer theirs to show. A client revoking its own
     * token (RFC 7009) is the same event type without that detail; whether a grant stands then follows the consent
     * Keycloak keeps or removes, which {@link McpGrants} reads.
     */
    private void forgetGrants(Event event) {
        String revoked = event.getDetails() == null ? null : event.getDetails().get(Details.REVOKED_CLIENT);
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        ClientModel client = realm == null || revoked == null ? null : realm.getClientByClientId(revoked);
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
