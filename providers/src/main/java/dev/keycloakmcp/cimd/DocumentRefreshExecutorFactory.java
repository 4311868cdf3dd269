package dev.keycloakmcp.cimd;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

import dev.keycloakmcp.core.McpClientPolicy;
import dev.keycloakmcp.core.McpPolicyExecutorFactory;

/** The client-policy executor {@value McpClientPolicy#DOCUMENT_REFRESH_EXECUTOR}: {@link DocumentRefreshExecutor}. */
public class DocumentRefreshExecutorFactory extends McpPolicyExecutorFactory {

    private MetadataDocumentClientStorageFactory server;

    public DocumentRefreshExecutorFactory() {
        super(McpClientPolicy.DOCUMENT_REFRESH_EXECUTOR,
                "a metadata-document client's authorization request is judged by a current copy of its document.");
    }

    @Override
    public ClientPolicyExecutorProvider create(KeycloakSession session) {
        return new DocumentRefreshExecutor(session, new DocumentRefresh(session, server));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        server = MetadataDocumentClientStorageFactory.of(factory);
    }
}
