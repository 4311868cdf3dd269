package dev.keycloakmcp.cimd;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.ws.rs.core.MultivaluedMap;

import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.storage.client.ClientStorageProvider;

import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.McpRealm;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.enterprise.AssertedClient;
import dev.keycloakmcp.metrics.McpMetrics;

/**
 * The client storage provider where a URL {@code client_id} becomes a client, at the authorization endpoint.
 * Keycloak asks it for a client id the realm does not have; for an authorization request by that client id in a realm
 * that accepts documents, it has the client made ({@link MetadataDocumentPipeline#createClient}), and also for an ID-JAG
 * grant at the token endpoint that a trusted IdP vouches for ({@link AssertedClient}); it answers "not here" at once
 * to everything else. It serves no clients of its own: a created client is an ordinary one.
 */
class MetadataDocumentClientStorage implements ClientStorageProvider {

    static final String AUTHORIZATION_PATH = "/protocol/openid-connect/auth";
    static final String TOKEN_PATH = "/protocol/openid-connect/token";
    /** Session attribute set while a client id is being resolved here. */
    private static final String RESOLVING = "mcp.document.resolving";

    private final KeycloakSession session;
    private final MetadataDocumentClientStorageFactory server;

    MetadataDocumentClientStorage(KeycloakSession session, MetadataDocumentClientStorageFactory server) {
        this.session = session;
        this.server = server;
    }

    @Override
    public ClientModel getClientByClientId(RealmModel realm, String clientId) {
        if (!ClientIdUrl.looksLikeUrl(clientId) || !McpRealm.isEnabled(realm)) {
            return null;
        }
        Optional<DocumentSettings> settings = DocumentSettings.of(realm);
        if (settings.isEmpty()) {
            return null;
        }
        Optional<MultivaluedMap<String, String>> request = authorizationRequestOf(realm, clientId);
        boolean assertionGrant = request.isEmpty() && isVouchedAssertionGrant(realm, clientId);
        if (request.isEmpty() && !assertionGrant) {
            return null;
        }
        if (session.getAttribute(RESOLVING) != null) {
            // A lookup made while this one runs (the request's resource naming the client_id itself): not a document.
            return null;
        }
        session.setAttribute(RESOLVING, clientId);
        MetadataDocumentPipeline pipeline = new MetadataDocumentPipeline(session, realm, settings.get(), server);
        EventBuilder event = MetadataDocumentPipeline.event(session, realm, EventType.CLIENT_REGISTER, clientId);
        try {
            ClientModel client = pipeline.createClient(clientId, request);
            event.detail("client_name", client.getName()).success();
            McpMetrics.registered(realm.getName(), McpClientKind.METADATA_DOCUMENT.value());
            return client;
        } catch (Refusal refusal) {
            McpMetrics.registrationRefused(realm.getName(), McpClientKind.METADATA_DOCUMENT.value(), refusal.eventError());
            if (assertionGrant) {
                // At the token endpoint: recorded, and Keycloak answers invalid_client for a client it could not find.
                event.detail(Details.REASON, refusal.description()).error(refusal.eventError());
                return null;
            }
            throw DocumentErrorPage.of(session, realm, event, refusal);
        } finally {
            session.removeAttribute(RESOLVING);
        }
    }

    /**
     * Whether this request is a token request of {@code realm} with an ID-JAG that a trusted IdP signed for
     * {@code clientId} ({@link AssertedClient}): the one case where a document is fetched outside the authorization
     * endpoint, for a client used with enterprise-managed authorization before (or without) any browser sign-in.
     */
    private boolean isVouchedAssertionGrant(RealmModel realm, String clientId) {
        MultivaluedMap<String, String> form;
        try {
            if (!"POST".equals(session.getContext().getHttpRequest().getHttpMethod())
                    || !session.getContext().getUri().getPath().endsWith("/realms/" + realm.getName() + TOKEN_PATH)) {
                return false;
            }
            form = session.getContext().getHttpRequest().getDecodedFormParameters();
        } catch (RuntimeException noHttpRequest) {
            return false;
        }
        return AssertedClient.vouchesFor(session, realm, clientId, form);
    }

    /**
     * The parameters of this request if it is an authorization request of {@code realm} by {@code clientId} itself
     * (the query of a GET, the form of a POST). Keycloak also looks up other URLs while it handles one (the
     * {@code resource}, which names an MCP server), and client ids elsewhere (token endpoint, admin API, imports
     * without any HTTP request): those are not documents to fetch, but for {@link #isVouchedAssertionGrant}.
     */
    private Optional<MultivaluedMap<String, String>> authorizationRequestOf(RealmModel realm, String clientId) {
        MultivaluedMap<String, String> parameters;
        try {
            if (!session.getContext().getUri().getPath().endsWith("/realms/" + realm.getName() + AUTHORIZATION_PATH)) {
                return Optional.empty();
            }
            parameters = "POST".equals(session.getContext().getHttpRequest().getHttpMethod())
                    ? session.getContext().getHttpRequest().getDecodedFormParameters()
                    : session.getContext().getUri().getQueryParameters();
        } catch (RuntimeException noHttpRequest) {
            // Keycloak looks clients up outside HTTP requests too (startup, import, scheduled tasks).
            return Optional.empty();
        }
        return clientId.equals(parameters.getFirst(OIDCLoginProtocol.CLIENT_ID_PARAM)) ? Optional.of(parameters) : Optional.empty();
    }

    @Override
    public ClientModel getClientById(RealmModel realm, String id) {
        return null;
    }

    @Override
    public Stream<ClientModel> searchClientsByClientIdStream(RealmModel realm, String clientId, Integer firstResult, Integer maxResults) {
        return Stream.empty();
    }

    @Override
    public Stream<ClientModel> searchClientsByAttributes(RealmModel realm, Map<String, String> attributes, Integer firstResult, Integer maxResults) {
        return Stream.empty();
    }

    @Override
    public Map<String, ClientScopeModel> getClientScopes(RealmModel realm, ClientModel client, boolean defaultScopes) {
        return Map.of();
    }

    @Override
    public void close() {
    }
}
