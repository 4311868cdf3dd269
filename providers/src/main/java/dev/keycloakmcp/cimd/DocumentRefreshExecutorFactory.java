package dev.keycloakmcp.cimd;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProviderFactory;

import dev.keycloakmcp.core.McpClientPolicy;

/** The client-policy executor {@value McpClientPolicy#DOCUMENT_REFRESH_EXECUTOR}: {@link DocumentRefreshExecutor}. */
public class DocumentRefreshExecutorFactory implements ClientPolicyExecutorProviderFactory {

    private MetadataDocumentClientStorageFactory server;

    @Override
    public ClientPolicyExecutorProvider create(KeycloakSession session) {
        return new DocumentRefreshExecutor(session, new DocumentRefresh(session, server));
    }

    @Override
    public String getId() {
        return McpClientPolicy.DOCUMENT_REFRESH_EXECUTOR;
    }

    @Override
    public String getHelpText() {
        return "keycloak-mcp, Keycloak before 26.7: a metadata-document client's authorization request is judged by a "
                + "current copy of its document. Nothing to configure; it stands aside on Keycloak 26.7.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        server = MetadataDocumentClientStorageFactory.of(factory);
    }

    @Override
    public void close() {
    }
}
