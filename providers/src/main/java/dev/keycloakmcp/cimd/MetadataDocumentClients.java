package dev.keycloakmcp.cimd;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.utils.RedirectUtils;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.services.clientregistration.ClientRegistrationException;
import org.keycloak.storage.client.ClientStorageProvider;

import dev.keycloakmcp.consent.ConsentEveryTimeFactory;
import dev.keycloakmcp.model.McpRealm;
import dev.keycloakmcp.pkce.PkceRequirement;
import dev.keycloakmcp.registration.McpClientCap;
import dev.keycloakmcp.registration.RegistrationRateLimit;
import dev.keycloakmcp.registration.RegistrationSettings;

/**
 * Where a URL {@code client_id} becomes a client. Keycloak asks the realm's client storage providers for a client
 * id it does not have; at the authorization endpoint of a realm that accepts metadata documents, this one fetches
 * the document the URL names, checks it and creates the client from it ({@link MetadataDocumentClient}), within
 * the realm's limits for self-registered MCP clients (cap, per-address rate). It never serves clients of its own:
 * once created, the client is an ordinary client of the realm and Keycloak finds it without asking here. Everything
 * else (other endpoints, other client ids, other realms) is answered "not here" at once.
 */
public class MetadataDocumentClients implements ClientStorageProvider {

    static final String AUTHORIZATION_PATH = "/protocol/openid-connect/auth";
    /** How long a creation claims its URL, so that two requests at once do not both create the client. */
    static final int CREATION_CLAIM_SECONDS = 15;

    private final KeycloakSession session;
    private final MetadataDocuments documents;

    MetadataDocumentClients(KeycloakSession session, MetadataDocumentFetcher.Settings fetchSettings) {
        this.session = session;
        this.documents = new MetadataDocuments(session, fetchSettings);
    }

    @Override
    public ClientModel getClientByClientId(RealmModel realm, String clientId) {
        if (!ClientIdUrl.looksLikeUrl(clientId) || !isAuthorizationRequestOf(clientId) || !McpRealm.isEnabled(realm)) {
            return null;
        }
        Optional<DocumentSettings> settings = DocumentSettings.of(realm);
        if (settings.isEmpty()) {
            return null;
        }
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.CLIENT_REGISTER).client(clientId).detail(MetadataDocumentRefresh.DOCUMENT_DETAIL, clientId);
        String claim = null;
        try {
            ClientIdUrl url = documents.url(clientId, settings.get());
            requireRoomFor(realm, RegistrationSettings.of(realm));
            claim = claim(realm, clientId);
            MetadataDocuments.Accepted accepted = documents.fetch(realm, url, settings.get());
            ClientRepresentation representation = MetadataDocumentClient.representation(session, realm, accepted.metadata());
            requireUsableRequest(representation);
            ConsentEveryTimeFactory.ensureRegistered(session, realm);
            ClientModel client = MetadataDocumentClient.create(session, realm, representation, accepted.lifetime());
            event.detail("client_name", client.getName()).success();
            return client;
        } catch (DocumentRefused refused) {
            release(claim);
            throw MetadataDocumentRefresh.errorPage(session, event, refused);
        } catch (ClientRegistrationException e) {
            release(claim);
            throw MetadataDocumentRefresh.errorPage(session, event, DocumentRefused.invalid(e.getMessage()));
        }
    }

    /**
     * The request's redirect URI is one the document lists and PKCE is there, checked before the client exists so
     * that these mistakes leave nothing behind (Keycloak checks the rest of the request once the client exists).
     */
    private void requireUsableRequest(ClientRepresentation client) throws DocumentRefused {
        MultivaluedMap<String, String> parameters = authorizationParameters();
        String redirectUri = parameters.getFirst(OIDCLoginProtocol.REDIRECT_URI_PARAM);
        if (redirectUri != null && RedirectUtils.verifyRedirectUri(session, client.getRootUrl(), redirectUri,
                Set.copyOf(client.getRedirectUris()), true) == null) {
            throw DocumentRefused.invalid("redirect_uri is not one of the metadata document's redirect_uris");
        }
        boolean requestObject = parameters.containsKey(OIDCLoginProtocol.REQUEST_PARAM) || parameters.containsKey(OIDCLoginProtocol.REQUEST_URI_PARAM);
        String pkceProblem = PkceRequirement.problem(parameters.getFirst(OIDCLoginProtocol.CODE_CHALLENGE_PARAM),
                parameters.getFirst(OIDCLoginProtocol.CODE_CHALLENGE_METHOD_PARAM));
        if (!requestObject && pkceProblem != null) {
            throw new DocumentRefused("invalid_request", Response.Status.BAD_REQUEST, pkceProblem);
        }
    }

    /** The realm's cap and per-address rate for self-registered MCP clients hold for documents too. */
    private void requireRoomFor(RealmModel realm, RegistrationSettings settings) throws DocumentRefused {
        if (McpClientCap.isReached(realm, settings)) {
            throw new DocumentRefused("insufficient_scope", Response.Status.FORBIDDEN, McpClientCap.refusal(settings));
        }
        String address = session.getContext().getConnection().getRemoteAddr();
        OptionalInt retryAfter = RegistrationRateLimit.acquire(session, realm, address, settings.registrationsPerMinute());
        if (retryAfter.isPresent()) {
            throw new DocumentRefused("too_many_requests", Response.Status.TOO_MANY_REQUESTS,
                    "too many new MCP clients from " + address + "; retry after " + retryAfter.getAsInt() + " s");
        }
    }

    /** Claims the creation of {@code clientId} cluster-wide; a second request meanwhile is asked to retry. */
    private String claim(RealmModel realm, String clientId) throws DocumentRefused {
        String key = "mcp-document-client:" + realm.getId() + ":" + sha256(clientId);
        if (!session.singleUseObjects().putIfAbsent(key, CREATION_CLAIM_SECONDS)) {
            throw new DocumentRefused("temporarily_unavailable", Response.Status.CONFLICT,
                    "this MCP client is being set up by another request; try again in a moment");
        }
        return key;
    }

    private void release(String claim) {
        if (claim != null) {
            session.singleUseObjects().remove(claim);
        }
    }

    /**
     * Whether this is an authorization request by {@code clientId} itself: Keycloak also looks up other URLs there
     * (the {@code resource}, which names an MCP server), and those are never documents to fetch.
     */
    private boolean isAuthorizationRequestOf(String clientId) {
        if (session.getContext().getUri() == null || !session.getContext().getUri().getPath().endsWith(AUTHORIZATION_PATH)) {
            return false;
        }
        return clientId.equals(authorizationParameters().getFirst(OIDCLoginProtocol.CLIENT_ID_PARAM));
    }

    /** The authorization request's parameters: the query of a GET, the form of a POST. */
    private MultivaluedMap<String, String> authorizationParameters() {
        return "POST".equals(session.getContext().getHttpRequest().getHttpMethod())
                ? session.getContext().getHttpRequest().getDecodedFormParameters()
                : session.getContext().getUri().getQueryParameters();
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
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
