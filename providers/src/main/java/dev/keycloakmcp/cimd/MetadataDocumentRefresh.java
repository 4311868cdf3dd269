package dev.keycloakmcp.cimd;

import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker;
import org.keycloak.protocol.oidc.utils.RedirectUtils;
import org.keycloak.services.ErrorPageException;
import org.keycloak.services.clientregistration.ClientRegistrationException;
import org.keycloak.storage.client.ClientStorageProvider;

/**
 * At each authorization request of a metadata-document client: the realm must still accept documents, and a copy
 * past its lifetime is fetched again and judged like a new one — a document that is gone or no longer valid, or no
 * longer lists the redirect URI in use, ends the request with an error page; otherwise the client takes the new
 * name, logo and redirect URIs. A redirect URI the document added since its last fetch is refused by Keycloak before
 * this check runs; see {@link #afterRefusedRedirect}.
 */
public class MetadataDocumentRefresh implements AuthorizationEndpointCheckProvider {

    static final String DOCUMENT_DETAIL = "client_metadata_document";
    private static final Logger LOG = Logger.getLogger(MetadataDocumentRefresh.class);

    private final KeycloakSession session;
    private final MetadataDocuments documents;

    MetadataDocumentRefresh(KeycloakSession session, MetadataDocumentFetcher.Settings fetchSettings) {
        this.session = session;
        this.documents = new MetadataDocuments(session, fetchSettings);
    }

    @Override
    public void check(AuthorizationEndpointChecker checker) {
        ClientModel client = checker.getClient();
        if (!MetadataDocumentClient.isMetadataDocumentClient(client)) {
            return;
        }
        RealmModel realm = checker.getRealm();
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.CLIENT_UPDATE).client(client.getClientId()).detail(DOCUMENT_DETAIL, client.getClientId());
        Optional<DocumentSettings> settings = DocumentSettings.of(realm);
        try {
            if (settings.isEmpty()) {
                throw DocumentRefused.invalid("this realm no longer accepts clients identified by a metadata document");
            }
            ClientIdUrl url = documents.url(client.getClientId(), settings.get());
            if (!MetadataDocumentClient.isStale(session, client, Time.currentTime())) {
                return;
            }
            MetadataDocuments.Accepted accepted = documents.fetch(realm, url, settings.get());
            MetadataDocumentClient.refresh(session, realm, client, accepted.metadata(), accepted.lifetime());
            if (RedirectUtils.verifyRedirectUri(session, checker.getRedirectUri(), client) == null) {
                throw DocumentRefused.invalid("the metadata document no longer lists this redirect URI");
            }
            event.success();
        } catch (DocumentRefused refused) {
            throw errorPage(session, event, refused);
        } catch (ClientRegistrationException e) {
            throw errorPage(session, event, DocumentRefused.invalid(e.getMessage()));
        }
    }

    /**
     * Keycloak refused a redirect URI that the stored copy of a client's document lacks, before any check of ours
     * ran: the document may have added it since. A copy past its lifetime is fetched again now, so that the client's
     * next attempt is judged against the current document (called by the {@code mcp-client-usage} event listener).
     */
    public static void afterRefusedRedirect(KeycloakSession session, RealmModel realm, ClientModel client) {
        Optional<DocumentSettings> settings = DocumentSettings.of(realm);
        if (!MetadataDocumentClient.isMetadataDocumentClient(client) || settings.isEmpty()
                || !MetadataDocumentClient.isStale(session, client, Time.currentTime())) {
            return;
        }
        MetadataDocumentClientsFactory clients = (MetadataDocumentClientsFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(ClientStorageProvider.class, MetadataDocumentClientsFactory.ID);
        MetadataDocuments documents = new MetadataDocuments(session, clients.fetchSettings());
        try {
            MetadataDocuments.Accepted accepted = documents.fetch(realm, documents.url(client.getClientId(), settings.get()), settings.get());
            MetadataDocumentClient.refresh(session, realm, client, accepted.metadata(), accepted.lifetime());
        } catch (DocumentRefused | ClientRegistrationException e) {
            // The next authorization request fetches it again and shows the user why it is refused.
            LOG.debugf("Metadata document of %s not refreshed after a refused redirect URI: %s", client.getClientId(), e.getMessage());
        }
    }

    /**
     * The error page for a refused document, and the event admins see. The reason is shown as text: the theme
     * looks it up as a message key, finds none and escapes it.
     */
    static ErrorPageException errorPage(KeycloakSession session, EventBuilder event, DocumentRefused refused) {
        event.detail(Details.REASON, refused.getMessage()).error(refused.error());
        return new ErrorPageException(session, refused.status(), "The MCP client's metadata document was refused: " + refused.getMessage());
    }

    @Override
    public void close() {
    }
}
