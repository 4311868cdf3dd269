package dev.keycloakmcp.authorization;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProviderFactory;

import dev.keycloakmcp.core.McpClientPolicy;

/** The client-policy executor {@value McpClientPolicy#AUTHORIZATION_EXECUTOR}: {@link AuthorizationPolicyExecutor}. */
public class AuthorizationPolicyExecutorFactory implements ClientPolicyExecutorProviderFactory {

    @Override
    public ClientPolicyExecutorProvider create(KeycloakSession session) {
        return new AuthorizationPolicyExecutor(session);
    }

    @Override
    public String getId() {
        return McpClientPolicy.AUTHORIZATION_EXECUTOR;
    }

    @Override
    public String getHelpText() {
        return "keycloak-mcp, Keycloak before 26.7: PKCE S256, one registered MCP server as resource and query responses "
                + "for MCP clients, and tokens bound to the MCP server of their authorization. Nothing to configure; "
                + "it stands aside on Keycloak 26.7, where the pack's own checks do this.";
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
    }

    @Override
    public void close() {
    }
}
