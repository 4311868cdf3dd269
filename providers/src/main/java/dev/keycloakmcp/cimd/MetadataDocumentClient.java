package dev.keycloakmcp.cimd;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.oidc.OIDCClientRepresentation;
import org.keycloak.services.clientregistration.ClientRegistrationException;
import org.keycloak.services.clientregistration.oidc.DescriptionConverter;
import org.keycloak.services.managers.ClientManager;

import dev.keycloakmcp.model.McpClientKind;
import dev.keycloakmcp.registration.McpClientShape;

/**
 * A Keycloak client whose metadata is its Client ID Metadata Document: created from the document at its first
 * authorization request, a safe MCP client like a self-registered one ({@link McpClientShape}), and refreshed from
 * the document once the copy has expired. Until when the copy is trusted is a client attribute, so every node of
 * a cluster agrees.
 */
public final class MetadataDocumentClient {

    static final String EXPIRES_ATTRIBUTE = "mcp.document.expires";
    /** Keycloak's attributes for the document's members that a refresh may change or remove. */
    static final List<String> DOCUMENT_ATTRIBUTES = List.of("logoUri", "policyUri", "tosUri", "post.logout.redirect.uris");
    /** Session attribute marking a client made from its document in this very request (no second fetch then). */
    private static final String FETCHED_IN_THIS_REQUEST = "mcp.document.fetched-in-request:";

    private MetadataDocumentClient() {
    }

    public static boolean isMetadataDocumentClient(ClientModel client) {
        return McpClientKind.of(client).filter(kind -> kind == McpClientKind.METADATA_DOCUMENT).isPresent();
    }

    /** Stores {@code client}, the {@link #representation} of an accepted document. */
    static ClientModel create(KeycloakSession session, RealmModel realm, ClientRepresentation client, Duration lifetime) {
        client.getAttributes().put(EXPIRES_ATTRIBUTE, String.valueOf(Time.currentTime() + lifetime.toSeconds()));
        session.setAttribute(FETCHED_IN_THIS_REQUEST + client.getClientId(), Boolean.TRUE);
        return ClientManager.createClient(session, realm, client);
    }

    /**
     * Stores a newly fetched document in client {@code id}: name, website, logo, redirect URIs and the copy's expiry.
     * In a transaction of its own, so that the copy is kept whatever becomes of the request that fetched it (refused
     * because the document dropped its redirect URI, say), and other requests see it at once; empty if the client
     * was removed meanwhile.
     */
    static Optional<DocumentCopy> store(KeycloakSession session, RealmModel realm, String id, ClientRepresentation client, Duration lifetime) {
        String realmId = realm.getId();
        String expires = String.valueOf(Time.currentTime() + lifetime.toSeconds());
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), own -> {
            Optional<ClientModel> stored = clientIn(own, realmId, id);
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
                model.setAttribute(EXPIRES_ATTRIBUTE, expires);
            });
            return stored.map(DocumentCopy::of);
        });
    }

    /** The copy client {@code id} holds now, read in a transaction of its own; empty if the client was removed. */
    static Optional<DocumentCopy> stored(KeycloakSession session, RealmModel realm, String id) {
        String realmId = realm.getId();
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(),
                own -> clientIn(own, realmId, id).map(DocumentCopy::of));
    }

    private static Optional<ClientModel> clientIn(KeycloakSession session, String realmId, String id) {
        RealmModel realm = session.realms().getRealm(realmId);
        return Optional.ofNullable(realm == null ? null : session.clients().getClientById(realm, id));
    }

    /**
     * Whether the copy of the document is past the time it may be trusted (or has no such time), unless it was
     * fetched for this very request.
     */
    static boolean isStale(KeycloakSession session, ClientModel client, long now) {
        return session.getAttribute(FETCHED_IN_THIS_REQUEST + client.getClientId()) == null && DocumentCopy.of(client).isExpired(now);
    }

    /** The client a document describes, made a safe MCP client. */
    static ClientRepresentation representation(KeycloakSession session, RealmModel realm, OIDCClientRepresentation metadata)
            throws ClientRegistrationException {
        ClientRepresentation client = DescriptionConverter.toInternal(session, metadata);
        client.setClientId(metadata.getClientId());
        McpClientShape.apply(realm, client, false, McpClientKind.METADATA_DOCUMENT);
        Map<String, String> attributes = new HashMap<>(client.getAttributes());
        client.setAttributes(attributes);
        return client;
    }
}
