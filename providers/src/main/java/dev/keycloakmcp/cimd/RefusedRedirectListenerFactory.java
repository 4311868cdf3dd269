package dev.keycloakmcp.cimd;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.storage.client.ClientStorageProvider;

/**
 * The {@code mcp-metadata-document-refetch} event listener ({@link RefusedRedirectListener}), a global one.
 * Keycloak hands a global listener every realm's events, so documents are fetched again whatever listeners an admin
 * chose; it acts only in realms that accept documents.
 */
public class RefusedRedirectListenerFactory implements EventListenerProviderFactory {

    public static final String ID = "mcp-metadata-document-refetch";

    private MetadataDocumentClientStorageFactory server;

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new RefusedRedirectListener(session, server);
    }

    @Override
    public boolean isGlobal() {
        return true;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // One set of fetch settings, configured on the client storage component's SPI (absent if an admin disabled it).
        server = (MetadataDocumentClientStorageFactory) factory.getProviderFactory(ClientStorageProvider.class, MetadataDocumentClientStorageFactory.ID);
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
