package dev.keycloakmcp.cimd;

import java.util.Optional;

import org.keycloak.events.Errors;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.keycloakmcp.core.McpClientKind;

/**
 * Has an expired metadata document fetched again when Keycloak refuses its client's redirect URI.
 * Keycloak refuses it before any check of the pack runs; the document may list the URI by now, and the client's
 * next attempt is judged against the new copy ({@link MetadataDocumentPipeline#refreshAfterRefusedRedirect}).
 */
class RefusedRedirectListener implements EventListenerProvider {

    private final KeycloakSession session;
    private final MetadataDocumentClientStorageFactory server;

    RefusedRedirectListener(KeycloakSession session, MetadataDocumentClientStorageFactory server) {
        this.session = session;
        this.server = server;
    }

    @Override
    public void onEvent(Event event) {
        if (server == null || event.getType() != EventType.LOGIN_ERROR || !Errors.INVALID_REDIRECT_URI.equals(event.getError())
                || event.getClientId() == null) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        Optional<DocumentSettings> settings = realm == null ? Optional.empty() : DocumentSettings.of(realm);
        if (settings.isEmpty()) {
            return;
        }
        // Stored clients only: this runs in a transaction of its own, which a client the request is just making
        // from its document is not part of (a realm lookup would ask the client storage to make it again).
        ClientModel client = session.getProvider(ClientProvider.class).getClientByClientId(realm, event.getClientId());
        if (McpClientKind.of(client).filter(kind -> kind == McpClientKind.METADATA_DOCUMENT).isPresent()) {
            new MetadataDocumentPipeline(session, realm, settings.get(), server).refreshAfterRefusedRedirect(client);
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
    }

    @Override
    public void close() {
    }
}
