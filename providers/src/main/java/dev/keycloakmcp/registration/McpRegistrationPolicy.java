package dev.keycloakmcp.registration;

import java.util.Collection;
import java.util.List;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.ClientModel;
import org.keycloak.services.clientregistration.ClientRegistrationContext;
import org.keycloak.services.clientregistration.ClientRegistrationProvider;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicyException;

import dev.keycloakmcp.core.McpClientShape;

/**
 * The {@code mcp-client-registration} policy: anonymous registration and self-updates at the MCP endpoint only.
 * There every client becomes a safe MCP client ({@link McpClientShape}); Keycloak's stock endpoint stays closed to
 * anonymous callers. It also lists the browser origins allowed to register (CORS).
 */
class McpRegistrationPolicy implements ClientRegistrationPolicy {

    private final ComponentModel model;

    McpRegistrationPolicy(ComponentModel model) {
        this.model = model;
    }

    @Override
    public void beforeRegister(ClientRegistrationContext context) throws ClientRegistrationPolicyException {
        requireMcpEndpoint(context.getProvider());
    }

    @Override
    public void afterRegister(ClientRegistrationContext context, ClientModel clientModel) {
    }

    @Override
    public void beforeUpdate(ClientRegistrationContext context, ClientModel clientModel) throws ClientRegistrationPolicyException {
        requireMcpEndpoint(context.getProvider());
    }

    @Override
    public void afterUpdate(ClientRegistrationContext context, ClientModel clientModel) {
    }

    @Override
    public void beforeView(ClientRegistrationProvider provider, ClientModel clientModel) {
    }

    @Override
    public void beforeDelete(ClientRegistrationProvider provider, ClientModel clientModel) {
    }

    @Override
    public Collection<String> getAllowedOrigins() {
        List<String> origins = model.getConfig().get(McpRegistrationPolicyFactory.WEB_ORIGINS);
        return origins == null ? List.of() : origins;
    }

    private static void requireMcpEndpoint(ClientRegistrationProvider provider) throws ClientRegistrationPolicyException {
        if (!(provider instanceof McpClientRegistrationProvider)) {
            throw new ClientRegistrationPolicyException("Anonymous registration is only open to MCP clients, at the MCP registration endpoint");
        }
    }

    @Override
    public void close() {
    }
}
