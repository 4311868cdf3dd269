package dev.keycloakmcp.cimd;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.SSLSocketFactory;

import jakarta.ws.rs.core.MultivaluedMap;

import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.utils.RedirectUtils;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.oidc.OIDCClientRepresentation;
import org.keycloak.services.clientregistration.ClientRegistrationException;
import org.keycloak.services.clientregistration.oidc.DescriptionConverter;
import org.keycloak.services.managers.ClientManager;
import org.keycloak.truststore.TruststoreProvider;

import dev.keycloakmcp.authorization.AuthorizationRequestRules;
import dev.keycloakmcp.cimd.FetchClaims.Purpose;
import dev.keycloakmcp.cimd.fetch.DocumentFetcher;
import dev.keycloakmcp.directory.BlockedClients;
import dev.keycloakmcp.directory.McpClientCap;
import dev.keycloakmcp.directory.McpClientDirectory;
import dev.keycloakmcp.core.KeycloakOrigins;
import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.McpClientLimits;
import dev.keycloakmcp.core.McpClientShape;
import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.core.McpRealmSetup;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.registration.ClientMetadataJson;

/**
 * How a Client ID Metadata Document becomes a client of a realm, in five steps.
 * {@link #verifyClientId} → {@link #fetchClientMetadata} → {@link #validateClientMetadata} →
 * {@link #verifyAuthorizationRequest} → {@link #persistClientMetadata}: the order that sends nothing anywhere unless it
 * must. A new client takes all ({@link #createClient}); an expired copy is fetched and validated again and keeps its id
 * ({@link #currentCopy}). {@link FetchClaims} keeps it to one request per URL across a cluster. The SPI adapters:
 * {@link MetadataDocumentClientStorage}, {@link MetadataDocumentCheck}, {@link RefusedRedirectListener}.
 */
final class MetadataDocumentPipeline {

    /** A document that can describe a client: the client it describes, and how long this copy is trusted. */
    record Accepted(ClientRepresentation client, Duration lifetime) {
    }

    static final String DOCUMENT_DETAIL = "client_metadata_document";
    private static final Logger LOG = Logger.getLogger(MetadataDocumentPipeline.class);
    /** Keycloak's attributes for the document's members that a refresh may change or remove. */
    private static final List<String> DOCUMENT_ATTRIBUTES = List.of("logoUri", "policyUri", "tosUri", "post.logout.redirect.uris");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final DocumentSettings settings;
    private final MetadataDocumentClientStorageFactory server;

    /**
     * @param settings the realm's document settings
     * @param server   the server-wide fetch settings and threads
     */
    MetadataDocumentPipeline(KeycloakSession session, RealmModel realm, DocumentSettings settings, MetadataDocumentClientStorageFactory server) {
        this.session = session;
        this.realm = realm;
        this.settings = settings;
        this.server = server;
    }

    /** The event admins see for what happened to the client of document {@code url}. */
    static EventBuilder event(KeycloakSession session, RealmModel realm, EventType type, String url) {
        return new EventBuilder(realm, session, session.getContext().getConnection()).event(type).client(url).detail(DOCUMENT_DETAIL, url);
    }

    /**
     * A new client from the document {@code clientId} names, for the authorization request {@code request} it came
     * with, within the realm's limits for self-registered MCP clients (per-address rate, cap).
     *
     * @param request the authorization request, checked against the document; empty for a token request that a trusted
     *                IdP's assertion vouches for (an ID-JAG grant, which has no redirect or PKCE to check)
     */
    ClientModel createClient(String clientId, Optional<MultivaluedMap<String, String>> request) throws Refusal {
        ClientIdUrl url = verifyClientId(clientId);
        requireNotRevoked(clientId);
        FetchClaims claims = claims(clientId);
        claims.requireNoRecentRefusal();
        McpRealmSettings limits = McpRealmSettings.of(realm);
        McpClientLimits.takeAttempt(session, realm, session.getContext().getConnection().getRemoteAddr(), limits);
        McpClientCap.requireBelowRealmCap(session, realm, limits);
        McpClientCap.requireBelowHostCap(session, realm, url.host(), settings.maxClientsPerHost());
        if (!claims.claim(Purpose.CREATE)) {
            throw Refusal.busy("this MCP client is being set up by another request; try again in a moment");
        }
        boolean created = false;
        try {
            Accepted accepted = fetchAndValidate(url, claims);
            if (request.isPresent()) {
                verifyAuthorizationRequest(request.get(), accepted.client());
            }
            McpRealmSetup.atFirstUse(session, realm);
            ClientModel client = persistClientMetadata(accepted);
            created = true;
            return client;
        } finally {
            if (created) {
                // Until this request's transaction ends, other requests cannot see the client: the claim holds till then.
                claims.releaseAfterThisRequest(Purpose.CREATE);
            } else {
                claims.release(Purpose.CREATE);
            }
        }
    }

    /**
     * The copy to judge this request by, the stored one having expired: fetched and stored now, or — while another
     * request is doing that — the one that request stores. Waiting for it (bounded by the fetch's deadline) rather
     * than answering "try again": the document of a popular client is shared by all its users, and whoever asks
     * while it is being fetched again should not see an error for it; a waiting request costs a sleeping thread no
     * longer than the fetching one. Past the wait (a node that died holding the claim), 409 asks to try again.
     *
     * @param url     the client's id, verified ({@link #verifyClientId})
     * @param fetched the event to record a fetch this request made
     */
    DocumentCopy currentCopy(ClientModel client, ClientIdUrl url, EventBuilder fetched) throws Refusal {
        FetchClaims claims = claims(client.getClientId());
        for (boolean waited = false; ; waited = true) {
            claims.requireNoRecentRefusal();
            Optional<DocumentCopy> refreshed = refresh(client, url, claims);
            if (refreshed.isPresent()) {
                fetched.clone().success();
                return refreshed.get();
            }
            if (waited || !claims.awaitRelease(Purpose.REFRESH)) {
                throw Refusal.busy("this MCP client's metadata document is being fetched by another request; try again in a moment");
            }
            DocumentCopy stored = DocumentCopy.stored(session, realm, client.getId())
                    .orElseThrow(() -> Refusal.invalidClient("this MCP client was removed; try again"));
            if (!stored.isExpired(Time.currentTime())) {
                return stored;
            }
            // The other request stored nothing (it failed, or the new copy's lifetime is zero): once more, fetching ourselves.
        }
    }

    /**
     * Keycloak refused a redirect URI that the stored copy of a client's document lacks: the document may have added
     * it since. A copy past its lifetime is fetched again now, so that the client's next attempt is judged against the
     * current document; a refusal is for that attempt to show.
     */
    void refreshAfterRefusedRedirect(ClientModel client) {
        if (!DocumentCopy.isStale(session, client, Time.currentTime())) {
            return;
        }
        try {
            FetchClaims claims = claims(client.getClientId());
            claims.requireNoRecentRefusal();
            refresh(client, verifyClientId(client.getClientId()), claims);
        } catch (Refusal refusal) {
            LOG.debugf("Metadata document of %s not refreshed after a refused redirect URI: %s", client.getClientId(), refusal.description());
        }
    }

    /** Step 1: the client id is a document URL (shape), on a domain the realm accepts. Nothing is fetched yet. */
    ClientIdUrl verifyClientId(String clientId) throws Refusal {
        ClientIdUrl url = ClientIdUrl.parse(clientId, server.fetchSettings().allowLoopback());
        settings.domains().requireAccepted(url.host());
        return url;
    }

    /** A document client an admin revoked does not come back before its block ends ({@link BlockedClients}). */
    private void requireNotRevoked(String clientId) throws Refusal {
        Optional<Long> until = BlockedClients.of(session).blockedUntil(realm, clientId);
        if (until.isPresent()) {
            throw Refusal.invalidClient("this MCP client was revoked by the realm's administrators until "
                    + java.time.Instant.ofEpochSecond(until.get())).loggedAs(BlockedClients.EVENT_ERROR);
        }
    }

    /** Step 2: the document, fetched from public addresses only, trusting what Keycloak's truststore trusts. */
    DocumentFetcher.Fetched fetchClientMetadata(ClientIdUrl url) throws Refusal {
        return new DocumentFetcher(server.fetchSettings(), tls(), settings.domains(), server.workers()).fetch(url.uri());
    }

    /**
     * Step 3: what the document says is an MCP client's metadata ({@link MetadataDocument}), made a safe MCP client
     * ({@link McpClientShape}), with the time its copy may be trusted. A document that cannot describe a client is
     * {@code invalid_client} here: no registration takes place at the authorization endpoint.
     */
    Accepted validateClientMetadata(ClientIdUrl url, DocumentFetcher.Fetched fetched) throws Refusal {
        try {
            // The same parser as for registration bodies: the same syntax, and the same reason for a refusal.
            OIDCClientRepresentation metadata = MetadataDocument.read(ClientMetadataJson.read(fetched.body()), url,
                    McpRealmSettings.of(realm), KeycloakOrigins.of(session));
            ClientRepresentation client = DescriptionConverter.toInternal(session, metadata);
            client.setClientId(metadata.getClientId());
            McpClientShape.apply(realm, client, false, McpClientKind.METADATA_DOCUMENT);
            return new Accepted(client, DocumentCaching.lifetime(fetched.cacheControl(), settings.minimumCache(), settings.maximumCache()));
        } catch (Refusal refusal) {
            throw Refusal.invalidClient(refusal.description());
        } catch (ClientRegistrationException e) {
            throw Refusal.invalidClient(e.getMessage());
        }
    }

    /**
     * Step 4: what Keycloak and {@link AuthorizationRequestRules} would refuse once the client exists (redirect URI,
     * PKCE, response type and mode, scope, MCP server) is refused before it exists, so that a bad request leaves no
     * client behind. Keycloak checks the rest once the client exists.
     */
    void verifyAuthorizationRequest(MultivaluedMap<String, String> parameters, ClientRepresentation client) throws Refusal {
        String redirectUri = parameters.getFirst(OIDCLoginProtocol.REDIRECT_URI_PARAM);
        if (redirectUri != null && RedirectUtils.verifyRedirectUri(session, client.getRootUrl(), redirectUri,
                Set.copyOf(client.getRedirectUris()), true) == null) {
            throw Refusal.invalidClient("redirect_uri is not one of the metadata document's redirect_uris");
        }
        AuthorizationRequestRules.requireRedirectNotToKeycloak(session, redirectUri);
        boolean requestObject = parameters.containsKey(OIDCLoginProtocol.REQUEST_PARAM) || parameters.containsKey(OIDCLoginProtocol.REQUEST_URI_PARAM);
        if (requestObject) {
            return;
        }
        AuthorizationRequestRules.requireS256(parameters.getFirst(OIDCLoginProtocol.CODE_CHALLENGE_PARAM),
                parameters.getFirst(OIDCLoginProtocol.CODE_CHALLENGE_METHOD_PARAM));
        if (!"code".equals(parameters.getFirst(OIDCLoginProtocol.RESPONSE_TYPE_PARAM))) {
            throw Refusal.unsupportedResponseType("response_type must be code");
        }
        AuthorizationRequestRules.requireQueryResponseMode(parameters.getFirst(OIDCLoginProtocol.RESPONSE_MODE_PARAM));
        Set<String> scopes = new HashSet<>(client.getDefaultClientScopes());
        scopes.addAll(client.getOptionalClientScopes());
        scopes.add(OAuth2Constants.SCOPE_OPENID);
        String scope = parameters.getFirst(OIDCLoginProtocol.SCOPE_PARAM);
        // Split as Keycloak does; parameterized and organization scopes ("name:value") are left to Keycloak.
        Optional<String> unknownScope = scope == null ? Optional.empty() : TokenManager.parseScopeParameter(scope)
                .filter(s -> !s.isEmpty() && !scopes.contains(s) && !s.contains(":")).findFirst();
        if (unknownScope.isPresent()) {
            throw Refusal.invalidScope("scope " + unknownScope.get() + " is not offered to MCP clients");
        }
        AuthorizationRequestRules.requireMcpServer(realm, parameters.get(OAuth2Constants.RESOURCE));
    }

    /** Step 5, for a new client: stored with this request, with the time its copy may be trusted. */
    ClientModel persistClientMetadata(Accepted accepted) {
        ClientRepresentation client = accepted.client();
        client.getAttributes().put(DocumentCopy.EXPIRES_ATTRIBUTE, expiresAfter(accepted.lifetime()));
        client.getAttributes().put(DocumentCopy.FETCHED_ATTRIBUTE, String.valueOf(Time.currentTime()));
        DocumentCopy.markFetchedInThisRequest(session, client.getClientId());
        ClientModel created = ClientManager.createClient(session, realm, client);
        McpClientDirectory.of(session).add(realm, created);
        return created;
    }

    /**
     * Step 5, for a refreshed copy: name, website, logo, redirect URIs and the copy's expiry stored in client
     * {@code id}, in a transaction of its own, so that the copy is kept whatever becomes of the request that fetched
     * it (refused because the document dropped its redirect URI, say), and other requests see it at once; empty if
     * the client was removed meanwhile.
     */
    Optional<DocumentCopy> persistRefreshedMetadata(String id, Accepted accepted) {
        ClientRepresentation client = accepted.client();
        String realmId = realm.getId();
        String expires = expiresAfter(accepted.lifetime());
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), own -> {
            Optional<ClientModel> stored = DocumentCopy.clientIn(own, realmId, id);
            stored.ifPresent(model -> {
                model.setName(client.getName());
                model.setBaseUrl(client.getBaseUrl());
                model.setRedirectUris(Set.copyOf(client.getRedirectUris()));
                for (String attribute : DOCUMENT_ATTRIBUTES) {
                    String value = client.getAttributes().get(attribute);
                    if (value == null) {
                        model.removeAttribute(attribute);
                    } else {
                        model.setAttribute(attribute, value);
                    }
                }
                model.setAttribute(DocumentCopy.EXPIRES_ATTRIBUTE, expires);
                model.setAttribute(DocumentCopy.FETCHED_ATTRIBUTE, String.valueOf(Time.currentTime()));
            });
            return stored.map(DocumentCopy::of);
        });
    }

    /**
     * Fetches the document of a client whose copy expired and stores it; empty when another request is doing that
     * right now. Whatever the outcome, it outlives this request — the copy stored in a transaction of its own, a
     * refusal remembered for a while — and is there before the claim is released, for the requests that waited.
     */
    private Optional<DocumentCopy> refresh(ClientModel client, ClientIdUrl url, FetchClaims claims) throws Refusal {
        if (!claims.claim(Purpose.REFRESH)) {
            return Optional.empty();
        }
        try {
            Accepted accepted = fetchAndValidate(url, claims);
            return Optional.of(persistRefreshedMetadata(client.getId(), accepted)
                    .orElseThrow(() -> Refusal.invalidClient("this MCP client was removed; try again")));
        } finally {
            claims.release(Purpose.REFRESH);
        }
    }

    /** Steps 2 and 3, remembering a refusal for a while (cluster-wide) so that the document is not fetched again at once. */
    private Accepted fetchAndValidate(ClientIdUrl url, FetchClaims claims) throws Refusal {
        try {
            return validateClientMetadata(url, fetchClientMetadata(url));
        } catch (Refusal refusal) {
            claims.remember(refusal);
            throw refusal;
        }
    }

    private FetchClaims claims(String url) {
        return new FetchClaims(session, realm, url, server.fetchSettings().readTimeout());
    }

    private static String expiresAfter(Duration lifetime) {
        return String.valueOf(Time.currentTime() + lifetime.toSeconds());
    }

    /** TLS that trusts what Keycloak trusts: its truststore's socket factory (the system's where none is configured). */
    private SSLSocketFactory tls() {
        TruststoreProvider truststore = session.getProvider(TruststoreProvider.class);
        SSLSocketFactory configured = truststore == null ? null : truststore.getSSLSocketFactory();
        return configured != null ? configured : (SSLSocketFactory) SSLSocketFactory.getDefault();
    }
}
