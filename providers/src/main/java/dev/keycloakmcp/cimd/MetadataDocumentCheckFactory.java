package dev.keycloakmcp.cimd;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;

import dev.keycloakmcp.authorization.AuthorizationCheckFactory;

/** The {@code mcp-metadata-document-refresh} check: a metadata-document client's expired copy is fetched again. */
public class MetadataDocumentCheckFactory extends AuthorizationCheckFactory {

    public static final String ID = "mcp-metadata-document-refresh";

    private MetadataDocumentClientStorageFactory server;

    public MetadataDocumentCheckFactory() {
        super(ID);
    }

    @Override
    public AuthorizationEndpointCheckProvider create(KeycloakSession session) {
        return new MetadataDocumentCheck(new DocumentRefresh(session, server));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // One set of fetch settings, configured on the client storage component's SPI (absent if an admin disabled it).
        server = MetadataDocumentClientStorageFactory.of(factory);
    }
}
