package dev.keycloakmcp.cimd;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProviderFactory;
import org.keycloak.storage.client.ClientStorageProvider;

public class MetadataDocumentRefreshFactory implements AuthorizationEndpointCheckProviderFactory {

    public static final String ID = "mcp-metadata-document-refresh";

    private MetadataDocumentClientsFactory clients;

    @Override
    public AuthorizationEndpointCheckProvider create(KeycloakSession session) {
        return new MetadataDocumentRefresh(session, clients);
    }

    @Override
    public boolean isSupported(Config.Scope config) {
        return true;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // One set of fetch settings, configured on the client storage component's SPI (absent if an admin disabled it).
        clients = (MetadataDocumentClientsFactory) factory.getProviderFactory(ClientStorageProvider.class, MetadataDocumentClientsFactory.ID);
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
