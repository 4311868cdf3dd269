package dev.keycloakmcp.device;

import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.endpoints.request.AuthorizationEndpointRequest;
import org.keycloak.protocol.oidc.grants.device.clientpolicy.context.DeviceAuthorizationRequestContext;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

import dev.keycloakmcp.authorization.AuthorizationRequestRules;
import dev.keycloakmcp.authorization.ResourceRequest;
import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.McpClientPolicy;
import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.metrics.McpMetrics;

/**
 * The client-policy executor {@value McpClientPolicy#DEVICE_GRANT_EXECUTOR}, at Keycloak's device authorization endpoint
 * (every line: that endpoint runs no other extension point). For an MCP client: the device grant only where the realm
 * allows it now ({@code unauthorized_client}, also for clients that registered while it was allowed), and the
 * {@code resource} checked as at the authorization endpoint ({@code invalid_target}) and kept with the device code
 * ({@link DeviceCodeResource}). Keycloak answers the refusal with its error and description, 400.
 */
class DeviceAuthorizationExecutor implements ClientPolicyExecutorProvider<ClientPolicyExecutorConfigurationRepresentation> {

    static final String CHECK_ID = "mcp-device-grant";

    private final KeycloakSession session;

    DeviceAuthorizationExecutor(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public String getProviderId() {
        return McpClientPolicy.DEVICE_GRANT_EXECUTOR;
    }

    @Override
    public void executeOnEvent(ClientPolicyContext context) throws ClientPolicyException {
        if (!(context instanceof DeviceAuthorizationRequestContext device)) {
            return;
        }
        AuthorizationEndpointRequest request = device.getRequest();
        RealmModel realm = session.getContext().getRealm();
        ClientModel client = session.getContext().getClient() != null ? session.getContext().getClient()
                : realm.getClientByClientId(request.getClientId());
        Optional<String> resource = Optional.empty();
        if (McpClientKind.isMcpClient(client)) {
            try {
                if (!McpRealmSettings.of(realm).deviceGrant()) {
                    throw Refusal.unauthorizedClient("The device grant is not allowed for MCP clients in this realm");
                }
                AuthorizationRequestRules.requireMcpServer(realm, device.getRequestParameters().get(OAuth2Constants.RESOURCE));
                resource = ResourceRequest.single(device.getRequestParameters().get(OAuth2Constants.RESOURCE));
            } catch (Refusal refusal) {
                McpMetrics.refused(realm.getName(), McpMetrics.Endpoint.AUTHORIZATION, CHECK_ID, refusal.eventError());
                throw new ClientPolicyException(refusal.error(), refusal.description(), Response.Status.fromStatusCode(refusal.status()));
            }
        }
        // Other clients' device codes carry no MCP server, whatever they send.
        DeviceCodeResource.keep(session, realm, client == null ? request.getClientId() : client.getClientId(), request.getAdditionalReqParams(), resource);
    }
}
