package dev.keycloakmcp.device;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

import dev.keycloakmcp.core.McpClientPolicy;
import dev.keycloakmcp.core.McpPolicyExecutorFactory;

/** The client-policy executor {@value McpClientPolicy#DEVICE_GRANT_EXECUTOR}: {@link DeviceAuthorizationExecutor}. */
public class DeviceAuthorizationExecutorFactory extends McpPolicyExecutorFactory {

    public DeviceAuthorizationExecutorFactory() {
        super(McpClientPolicy.DEVICE_GRANT_EXECUTOR, "");
    }

    @Override
    public String getHelpText() {
        return "keycloak-mcp, every Keycloak line: at the device authorization endpoint, the realm's device-grant setting for "
                + "MCP clients and their resource (one registered MCP server), kept with the device code. Nothing to configure.";
    }

    @Override
    public ClientPolicyExecutorProvider create(KeycloakSession session) {
        return new DeviceAuthorizationExecutor(session);
    }
}
