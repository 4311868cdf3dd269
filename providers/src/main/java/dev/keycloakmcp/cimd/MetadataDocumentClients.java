package dev.keycloakmcp.cimd;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.utils.RedirectUtils;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.services.clientregistration.ClientRegistrationException;
import org.keycloak.storage.client.ClientStorageProvider;

import dev.keycloakmcp.audience.ResourceAuthorizationCheck;
import dev.keycloakmcp.cimd.DocumentFetches.Purpose;
import dev.keycloakmcp.model.McpRealm;
import dev.keycloakmcp.pkce.PkceRequirement;
import dev.keycloakmcp.registration.McpClientCap;
import dev.keycloakmcp.registration.McpRealmRequiredActions;
import dev.keycloakmcp.registration.RegistrationRateLimit;
import dev.keycloakmcp.registration.RegistrationSettings;
import dev.keycloakmcp.response.AuthorizationResponseCheck;
import dev.keycloakmcp.response.ResponseMode;

/**
 * Where a URL {@code client_id} becomes a client. Keycloak asks the realm's client storage providers for a client
 * id it does not have; at the authorization endpoint of a realm that accepts metadata documents, this one fetches
 * the document the request's {@code client_id} names, checks it and the request, and creates the client from it
 * ({@link MetadataDocumentClient}), within the realm's limits for self-registered MCP clients (per-address rate,
 * cap). It never serves clients of its own: once created, the client is an ordinary client of the realm and
 * Keycloak finds it without asking here. Everything else (other endpoints, other client ids looked up during the
 * request, other realms) is answered "not here" at once.
 */
public class MetadataDocumentClients implements ClientStorageProvider {

    static final String AUTHORIZATION_PATH = "/protocol/openid-connect/auth";
    /** Session attribute set while a client id is being resolved here. */
    private static final String RESOLVING = "mcp.document.resolving";

    private final KeycloakSession session;
    private final MetadataDocuments documents;

    MetadataDocumentClients(KeycloakSession session, MetadataDocumentClientsFactory server) {
        this.session = session;
        this.documents = new MetadataDocuments(session, server);
    }

    @Override
    public ClientModel getClientByClientId(RealmModel realm, String clientId) {
        if (!ClientIdUrl.looksLikeUrl(clientId) || !McpRealm.isEnabled(realm)) {
            return null;
        }
        Optional<DocumentSettings> settings = DocumentSettings.of(realm);
        Optional<MultivaluedMap<String, String>> request = authorizationRequestOf(realm, clientId);
        if (settings.isEmpty() || request.isEmpty()) {
            return null;
        }
        if (session.getAttribute(RESOLVING) != null) {
            // A lookup made while this one runs (the request's resource naming the client_id itself): not a document.
            return null;
        }
        session.setAttribute(RESOLVING, clientId);
        EventBuilder event = MetadataDocumentRefresh.event(session, realm, EventType.CLIENT_REGISTER, clientId);
        DocumentFetches fetches = documents.fetches(realm, clientId);
        boolean claimed = false;
        boolean created = false;
        try {
            ClientIdUrl url = documents.url(clientId, settings.get());
            Optional<String> remembered = fetches.rememberedRefusal();
            if (remembered.isPresent()) {
                throw DocumentRefused.invalid(remembered.get());
            }
            requireRoomFor(realm, RegistrationSettings.of(realm));
            claimed = fetches.claim(Purpose.CREATE);
            if (!claimed) {
                throw new DocumentRefused("temporarily_unavailable", Response.Status.CONFLICT,
                        "this MCP client is being set up by another request; try again in a moment");
            }
            MetadataDocuments.Accepted accepted = documents.fetchRemembering(realm, url, settings.get(), fetches);
            ClientRepresentation representation = MetadataDocumentClient.representation(session, realm, accepted.metadata());
            requireUsableRequest(realm, request.get(), representation);
            McpRealmRequiredActions.ensureIn(session, realm);
            ClientModel client = MetadataDocumentClient.create(session, realm, representation, accepted.lifetime());
            created = true;
            event.detail("client_name", client.getName()).success();
            return client;
        } catch (DocumentRefused refused) {
            throw MetadataDocumentRefresh.errorPage(session, event, refused);
        } catch (ClientRegistrationException e) {
            throw MetadataDocumentRefresh.errorPage(session, event, DocumentRefused.invalid(e.getMessage()));
        } finally {
            session.removeAttribute(RESOLVING);
            if (claimed && created) {
                // Until this request's transaction ends, other requests cannot see the client: the claim holds till then.
                fetches.releaseAfterThisRequest(Purpose.CREATE);
            } else if (claimed) {
                fetches.release(Purpose.CREATE);
            }
        }
    }

    /**
     * What Keycloak would refuse once the client exists — a redirect URI the document does not list or one on
     * Keycloak's own origin, no PKCE S256, another response type or mode, a scope or MCP server the client would not
     * have — is refused before it exists, so that these mistakes leave no client behind. (Keycloak checks the rest
     * once the client exists.)
     */
    private void requireUsableRequest(RealmModel realm, MultivaluedMap<String, String> parameters, ClientRepresentation client)
            throws DocumentRefused {
        String redirectUri = parameters.getFirst(OIDCLoginProtocol.REDIRECT_URI_PARAM);
        if (redirectUri != null && RedirectUtils.verifyRedirectUri(session, client.getRootUrl(), redirectUri,
                Set.copyOf(client.getRedirectUris()), true) == null) {
            throw DocumentRefused.invalid("redirect_uri is not one of the metadata document's redirect_uris");
        }
        Optional<String> ownOrigin = AuthorizationResponseCheck.redirectUriProblem(session, redirectUri);
        if (ownOrigin.isPresent()) {
            throw new DocumentRefused("invalid_request", Response.Status.BAD_REQUEST, ownOrigin.get());
        }
        boolean requestObject = parameters.containsKey(OIDCLoginProtocol.REQUEST_PARAM) || parameters.containsKey(OIDCLoginProtocol.REQUEST_URI_PARAM);
        if (requestObject) {
            return;
        }
        String pkceProblem = PkceRequirement.problem(parameters.getFirst(OIDCLoginProtocol.CODE_CHALLENGE_PARAM),
                parameters.getFirst(OIDCLoginProtocol.CODE_CHALLENGE_METHOD_PARAM));
        if (pkceProblem != null) {
            throw new DocumentRefused("invalid_request", Response.Status.BAD_REQUEST, pkceProblem);
        }
        if (!"code".equals(parameters.getFirst(OIDCLoginProtocol.RESPONSE_TYPE_PARAM))) {
            throw new DocumentRefused("unsupported_response_type", Response.Status.BAD_REQUEST, "response_type must be code");
        }
        Optional<String> responseModeProblem = ResponseMode.problem(parameters.getFirst(OIDCLoginProtocol.RESPONSE_MODE_PARAM));
        if (responseModeProblem.isPresent()) {
            throw new DocumentRefused("invalid_request", Response.Status.BAD_REQUEST, responseModeProblem.get());
        }
        Set<String> scopes = new HashSet<>(client.getDefaultClientScopes());
        scopes.addAll(client.getOptionalClientScopes());
        scopes.add(OAuth2Constants.SCOPE_OPENID);
        String scope = parameters.getFirst(OIDCLoginProtocol.SCOPE_PARAM);
        // Split as Keycloak does; parameterized and organization scopes ("name:value") are left to Keycloak.
        Optional<String> unknownScope = scope == null ? Optional.empty() : TokenManager.parseScopeParameter(scope)
                .filter(s -> !s.isEmpty() && !scopes.contains(s) && !s.contains(":")).findFirst();
        if (unknownScope.isPresent()) {
            throw new DocumentRefused("invalid_scope", Response.Status.BAD_REQUEST, "scope " + unknownScope.get() + " is not offered to MCP clients");
        }
        Optional<String> resourceProblem = ResourceAuthorizationCheck.problem(realm, parameters.get(OAuth2Constants.RESOURCE));
        if (resourceProblem.isPresent()) {
            throw new DocumentRefused("invalid_target", Response.Status.BAD_REQUEST, resourceProblem.get());
        }
    }

    /** The realm's per-address rate and cap for self-registered MCP clients hold for documents too (the cheap one first). */
    private void requireRoomFor(RealmModel realm, RegistrationSettings settings) throws DocumentRefused {
        String address = session.getContext().getConnection().getRemoteAddr();
        OptionalInt retryAfter = RegistrationRateLimit.acquire(session, realm, address, settings.registrationsPerMinute());
        if (retryAfter.isPresent()) {
            throw DocumentRefused.tooManyRequests("too many new MCP clients from " + address + "; retry after " + retryAfter.getAsInt() + " s",
                    retryAfter.getAsInt());
        }
        if (McpClientCap.isReached(realm, settings)) {
            throw new DocumentRefused("insufficient_scope", Response.Status.FORBIDDEN, McpClientCap.refusal(settings));
        }
    }

    /**
     * The parameters of this request if it is an authorization request of {@code realm} by {@code clientId} itself
     * (the query of a GET, the form of a POST). Keycloak also looks up other URLs while it handles one (the
     * {@code resource}, which names an MCP server), and client ids elsewhere (token endpoint, admin API, imports
     * without any HTTP request): those are never documents to fetch.
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
