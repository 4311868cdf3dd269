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

    /** @param server null when the client storage provider is switched off: nothing to refresh then */
    MetadataDocumentRefresh(KeycloakSession session, MetadataDocumentClientsFactory server) {
        this.session = session;
        this.documents = server == null ? null : new MetadataDocuments(session, server);
    }

    @Override
    public void check(AuthorizationEndpointChecker checker) {
        ClientModel client = checker.getClient();
        if (documents == null || !MetadataDocumentClient.isMetadataDocumentClient(client)) {
            return;
        }
        RealmModel realm = checker.getRealm();
        EventBuilder event = event(session, realm, EventType.CLIENT_UPDATE, client.getClientId());
        Optional<DocumentSettings> settings = DocumentSettings.of(realm);
        try {
            if (settings.isEmpty()) {
                throw DocumentRefused.invalid("this realm no longer accepts clients identified by a metadata document");
            }
            ClientIdUrl url = documents.url(client.getClientId(), settings.get());
            if (!MetadataDocumentClient.isStale(session, client, Time.currentTime())
                    || !refresh(session, documents, realm, client, url, settings.get())) {
                return;
            }
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
        MetadataDocumentClientsFactory clients = (MetadataDocumentClientsFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(ClientStorageProvider.class, MetadataDocumentClientsFactory.ID);
        if (clients == null || !MetadataDocumentClient.isMetadataDocumentClient(client) || settings.isEmpty()
                || !MetadataDocumentClient.isStale(session, client, Time.currentTime())) {
            return;
        }
        MetadataDocuments documents = new MetadataDocuments(session, clients);
        try {
            refresh(session, documents, realm, client, documents.url(client.getClientId(), settings.get()), settings.get());
        } catch (DocumentRefused | ClientRegistrationException e) {
            // The next authorization request shows the user why it is refused.
            LOG.debugf("Metadata document of %s not refreshed after a refused redirect URI: %s", client.getClientId(), e.getMessage());
        }
    }

    /**
     * Fetches the document of a client whose copy expired and applies it; false when another request is doing that
     * right now (the stored copy serves meanwhile). A refusal is remembered for a while, so that a broken or slow
     * document host is not asked again on every request.
     */
    private static boolean refresh(KeycloakSession session, MetadataDocuments documents, RealmModel realm, ClientModel client,
            ClientIdUrl url, DocumentSettings settings) throws DocumentRefused, ClientRegistrationException {
        DocumentFetches fetches = documents.fetches(realm, client.getClientId());
        Optional<String> remembered = fetches.rememberedRefusal();
        if (remembered.isPresent()) {
            throw DocumentRefused.invalid(remembered.get());
        }
        if (!fetches.claim(DocumentFetches.Purpose.REFRESH)) {
            return false;
        }
        try {
            MetadataDocuments.Accepted accepted = documents.fetchRemembering(realm, url, settings, fetches);
            MetadataDocumentClient.refresh(session, realm, client, accepted.metadata(), accepted.lifetime());
            return true;
        } finally {
            fetches.release(DocumentFetches.Purpose.REFRESH);
        }
    }

    /** The event admins see for what happened to the client of document {@code url}. */
    static EventBuilder event(KeycloakSession session, RealmModel realm, EventType type, String url) {
        return new EventBuilder(realm, session, session.getContext().getConnection()).event(type).client(url).detail(DOCUMENT_DETAIL, url);
    }

    /**
     * The error page for a refused document, and the event admins see (with the full reason). Reasons may quote the
     * document (a redirect URI, a grant type), and Keycloak's error page renders its message as sanitized HTML, which
     * keeps links — even entity-escaped ones, as it decodes entities first: the page gets the reason without the
     * characters markup needs. (Not being a key of the theme's messages, the text is shown as given.)
     */
    static ErrorPageException errorPage(KeycloakSession session, EventBuilder event, DocumentRefused refused) {
        event.detail(Details.REASON, refused.getMessage()).error(refused.error());
        return new ErrorPageException(session, refused.status(), asPlainText("The MCP client's metadata document was refused: " + refused.getMessage()));
    }

    /** {@code text} without {@code < > & "}: nothing in it can become a tag or an entity. */
    static String asPlainText(String text) {
        return text.replaceAll("[<>&\"]", "");
    }

    @Override
    public void close() {
    }
}
