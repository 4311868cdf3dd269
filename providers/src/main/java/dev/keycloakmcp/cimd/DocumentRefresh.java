package dev.keycloakmcp.cimd;

import java.util.Optional;

import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.Refusal;

/**
 * A metadata-document client's authorization request is judged by a current copy of its document, from the check
 * {@code mcp-metadata-document-refresh} (Keycloak 26.7) or the client-policy executor of the same id (older lines).
 * The realm must still accept the client's host, and an expired copy is fetched again and judged like a new one
 * ({@link MetadataDocumentPipeline#currentCopy}); a document gone, invalid or no longer listing the redirect URI in
 * use ends the request on an error page. An expired copy never authorizes a request. A redirect URI added since the
 * last fetch is refused by Keycloak before this check runs ({@link RefusedRedirectListener}).
 */
final class DocumentRefresh {

    private final KeycloakSession session;
    private final MetadataDocumentClientStorageFactory server;

    /** @param server null when the client storage provider is switched off: nothing to refresh then */
    DocumentRefresh(KeycloakSession session, MetadataDocumentClientStorageFactory server) {
        this.session = session;
        this.server = server;
    }

    /** Judges the request of {@code client} to {@code redirectUri}; a refusal ends it on an error page. */
    void judge(RealmModel realm, ClientModel client, String redirectUri) {
        if (server == null || McpClientKind.of(client).filter(kind -> kind == McpClientKind.METADATA_DOCUMENT).isEmpty()) {
            return;
        }
        Optional<DocumentSettings> settings = DocumentSettings.of(realm);
        MetadataDocumentPipeline pipeline = settings.map(s -> new MetadataDocumentPipeline(session, realm, s, server)).orElse(null);
        EventBuilder event = MetadataDocumentPipeline.event(session, realm, EventType.CLIENT_UPDATE, client.getClientId());
        try {
            if (pipeline == null) {
                throw Refusal.invalidClient("this realm no longer accepts clients identified by a metadata document");
            }
            ClientIdUrl url = pipeline.verifyClientId(client.getClientId());
            if (!DocumentCopy.isStale(session, client, Time.currentTime())) {
                return;
            }
            // Judged against the copy just stored, not this request's view of the client, which predates it.
            if (!pipeline.currentCopy(client, url, event).lists(session, redirectUri)) {
                throw Refusal.invalidClient("the metadata document no longer lists this redirect URI");
            }
        } catch (Refusal refusal) {
            throw DocumentErrorPage.of(session, realm, event, refusal);
        }
    }
}
