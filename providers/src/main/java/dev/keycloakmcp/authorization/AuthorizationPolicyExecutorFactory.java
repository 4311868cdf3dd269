package dev.keycloakmcp.authorization;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

import dev.keycloakmcp.core.McpClientPolicy;
import dev.keycloakmcp.core.McpPolicyExecutorFactory;

/** The client-policy executor {@value McpClientPolicy#AUTHORIZATION_EXECUTOR}: {@link AuthorizationPolicyExecutor}. */
public class AuthorizationPolicyExecutorFactory extends McpPolicyExecutorFactory {

    public AuthorizationPolicyExecutorFactory() {
        super(McpClientPolicy.AUTHORIZATION_EXECUTOR, "PKCE S256, one registered MCP server as resource and query responses "
                + "for MCP clients, and tokens bound to the MCP server of their authorization.");
    }

    @Override
    public ClientPolicyExecutorProvider create(KeycloakSession session) {
        return new AuthorizationPolicyExecutor(session);
    }
}
