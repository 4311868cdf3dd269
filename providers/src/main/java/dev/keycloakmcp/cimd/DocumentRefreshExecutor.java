package dev.keycloakmcp.cimd;

import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.context.AuthorizationRequestContext;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

import dev.keycloakmcp.core.McpClientPolicy;

/**
 * The client-policy executor {@value McpClientPolicy#DOCUMENT_REFRESH_EXECUTOR} (Keycloak before 26.7):
 * {@link DocumentRefresh} at the authorization endpoint, as the check of the same id does on 26.7.
 */
class DocumentRefreshExecutor implements ClientPolicyExecutorProvider<ClientPolicyExecutorConfigurationRepresentation> {

    private final KeycloakSession session;
    private final DocumentRefresh refresh;

    DocumentRefreshExecutor(KeycloakSession session, DocumentRefresh refresh) {
        this.session = session;
        this.refresh = refresh;
    }

    @Override
    public String getProviderId() {
        return McpClientPolicy.DOCUMENT_REFRESH_EXECUTOR;
    }

    @Override
    public void executeOnEvent(ClientPolicyContext context) {
        if (McpClientPolicy.isNeeded() && context instanceof AuthorizationRequestContext authorization) {
            refresh.judge(session.getContext().getRealm(), session.getContext().getClient(), authorization.getRedirectUri());
        }
    }
}
