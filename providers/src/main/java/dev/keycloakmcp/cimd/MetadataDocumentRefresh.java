package dev.keycloakmcp.cimd;

import java.util.Optional;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

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
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.services.ErrorPage;
import org.keycloak.services.ErrorPageException;
import org.keycloak.services.clientregistration.ClientRegistrationException;
import org.keycloak.storage.client.ClientStorageProvider;

/**
 * At each authorization request of a metadata-document client: the realm must still accept documents, and a copy
 * past its lifetime is fetched again and judged like a new one — a document that is gone or no longer valid, or no
 * longer lists the redirect URI in use, ends the request with an error page; otherwise the client takes the new
 * name, logo and redirect URIs. An expired copy never authorizes a request: a request that finds another one
 * (on any node) fetching it waits for that fetch and is judged against what it stored. A redirect URI the document
 * added since its last fetch is refused by Keycloak before this check runs; see {@link #afterRefusedRedirect}.
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
            if (!MetadataDocumentClient.isStale(session, client, Time.currentTime())) {
                return;
            }
            // Judged against the copy just stored, not this request's view of the client, which predates it.
            if (!currentCopy(realm, client, url, settings.get(), event).lists(session, checker.getRedirectUri())) {
                throw DocumentRefused.invalid("the metadata document no longer lists this redirect URI");
            }
        } catch (DocumentRefused refused) {
            throw errorPage(session, event, refused);
        }
    }

    /**
     * The copy to judge this request by, the stored one having expired: fetched and stored now, or — while another
     * request is doing that — the one that request stores. Waiting for it (bounded by the fetch's deadline) rather
     * than answering "try again": the document of a popular client is shared by all its users, and whoever asks
     * while it is being fetched again should not see an error for it; a waiting request costs a sleeping thread no
     * longer than the fetching one. Past the wait (a node that died holding the claim), 409 asks to try again.
     */
    private DocumentCopy currentCopy(RealmModel realm, ClientModel client, ClientIdUrl url, DocumentSettings settings, EventBuilder event)
            throws DocumentRefused {
        DocumentFetches fetches = documents.fetches(realm, client.getClientId());
        for (boolean waited = false; ; waited = true) {
            Optional<String> remembered = fetches.rememberedRefusal();
            if (remembered.isPresent()) {
                throw DocumentRefused.invalid(remembered.get());
            }
            Optional<DocumentCopy> fetched = refresh(session, documents, realm, client, url, settings, fetches);
            if (fetched.isPresent()) {
                event.clone().success();
                return fetched.get();
            }
            if (waited || !fetches.awaitRelease(DocumentFetches.Purpose.REFRESH)) {
                throw new DocumentRefused("temporarily_unavailable", Response.Status.CONFLICT,
                        "this MCP client's metadata document is being fetched by another request; try again in a moment");
            }
            DocumentCopy stored = MetadataDocumentClient.stored(session, realm, client.getId())
                    .orElseThrow(() -> DocumentRefused.invalid("this MCP client was removed; try again"));
            if (!stored.isExpired(Time.currentTime())) {
                return stored;
            }
            // The other request stored nothing (it failed, or the new copy's lifetime is zero): once more, fetching ourselves.
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
            DocumentFetches fetches = documents.fetches(realm, client.getClientId());
            if (fetches.rememberedRefusal().isEmpty()) {
                refresh(session, documents, realm, client, documents.url(client.getClientId(), settings.get()), settings.get(), fetches);
            }
        } catch (DocumentRefused e) {
            // The next authorization request shows the user why it is refused.
            LOG.debugf("Metadata document of %s not refreshed after a refused redirect URI: %s", client.getClientId(), e.getMessage());
        }
    }

    /**
     * Fetches the document of a client whose copy expired and stores it; empty when another request is doing that
     * right now. Whatever the outcome, it outlives this request — the copy stored in a transaction of its own, a
     * refusal remembered for a while — and is there before the claim is released, for the requests that waited.
     */
    private static Optional<DocumentCopy> refresh(KeycloakSession session, MetadataDocuments documents, RealmModel realm, ClientModel client,
            ClientIdUrl url, DocumentSettings settings, DocumentFetches fetches) throws DocumentRefused {
        if (!fetches.claim(DocumentFetches.Purpose.REFRESH)) {
            return Optional.empty();
        }
        try {
            MetadataDocuments.Accepted accepted = documents.fetchRemembering(realm, url, settings, fetches);
            ClientRepresentation representation;
            try {
                representation = MetadataDocumentClient.representation(session, realm, accepted.metadata());
            } catch (ClientRegistrationException e) {
                fetches.rememberRefusal(e.getMessage());
                throw DocumentRefused.invalid(e.getMessage());
            }
            return Optional.of(MetadataDocumentClient.store(session, realm, client.getId(), representation, accepted.lifetime())
                    .orElseThrow(() -> DocumentRefused.invalid("this MCP client was removed; try again")));
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
        String message = asPlainText("The MCP client's metadata document was refused: " + refused.getMessage());
        if (refused.retryAfter().isEmpty()) {
            return new ErrorPageException(session, refused.status(), message);
        }
        Response page = ErrorPage.error(session, null, refused.status(), message);
        return new ErrorPageException(Response.fromResponse(page).header(HttpHeaders.RETRY_AFTER, refused.retryAfter().getAsInt()).build());
    }

    /** {@code text} without {@code < > & "}: nothing in it can become a tag or an entity. */
    static String asPlainText(String text) {
        return text.replaceAll("[<>&\"]", "");
    }

    @Override
    public void close() {
    }
}
