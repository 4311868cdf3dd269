package dev.keycloakmcp.housekeeping;

import org.keycloak.common.util.Time;
import org.keycloak.events.Errors;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.keycloakmcp.cimd.MetadataDocumentRefresh;
import dev.keycloakmcp.model.McpClientKind;
import dev.keycloakmcp.registration.RegistrationSettings;

/**
 * Records that a self-registered MCP client (registration or metadata document) got a token (code exchange or
 * refresh); and when Keycloak refuses a metadata-document client's redirect URI, has its document fetched again if
 * the stored copy expired (the document may list the URI by now).
 */
public class ClientUsageEventListener implements EventListenerProvider {

    private final KeycloakSession session;

    ClientUsageEventListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getType() == EventType.LOGIN_ERROR && Errors.INVALID_REDIRECT_URI.equals(event.getError())) {
            RealmModel realm = session.realms().getRealm(event.getRealmId());
            // Stored clients only: this runs in a transaction of its own, which a client the request is just making
            // from its document is not part of (a realm lookup would ask the client storage to make it again).
            ClientModel client = realm == null || event.getClientId() == null ? null
                    : session.getProvider(ClientProvider.class).getClientByClientId(realm, event.getClientId());
            if (client != null) {
                MetadataDocumentRefresh.afterRefusedRedirect(session, realm, client);
            }
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
        ClientUsage.recordUse(client, now, RegistrationSettings.of(realm).unusedClientLifespan());
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
    }

    @Override
    public void close() {
    }
}
