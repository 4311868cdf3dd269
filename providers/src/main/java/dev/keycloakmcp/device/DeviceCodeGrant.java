package dev.keycloakmcp.device;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.models.OAuth2DeviceCodeModel;
import org.keycloak.protocol.oidc.grants.device.DeviceGrantType;

import dev.keycloakmcp.authorization.AuthorizedResource;
import dev.keycloakmcp.authorization.DpopRequirement;
import dev.keycloakmcp.authorization.ResourceRequest;
import dev.keycloakmcp.authorization.TokenEndpointRefusal;
import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.core.Refusal;

/**
 * Keycloak's device-code grant, which also binds an MCP client's tokens to the MCP server of its device code
 * ({@link DeviceCodeResource}) and applies the realm's device-grant setting at polling time too. Checked before
 * Keycloak's own grant runs, so that a refused poll leaves the device code as it was; polling limits
 * ({@code authorization_pending}, {@code slow_down}, {@code expired_token}, {@code access_denied}) stay Keycloak's.
 */
class DeviceCodeGrant extends DeviceGrantType {

    @Override
    public Response process(Context context) {
        setContext(context);
        if (McpClientKind.isMcpClient(client)) {
            try {
                if (!McpRealmSettings.of(realm).deviceGrant()) {
                    throw Refusal.unauthorizedClient("The device grant is not allowed for MCP clients in this realm");
                }
                Optional<OAuth2DeviceCodeModel> deviceCode = DeviceCodeResource.find(session, realm, client,
                        formParams.getFirst(OAuth2Constants.DEVICE_CODE));
                // An unknown, expired or foreign code: Keycloak answers it below, and no token comes of it.
                List<String> authorized = deviceCode.isPresent() ? DeviceCodeResource.of(session, realm, deviceCode.get()) : List.of();
                AuthorizedResource.attach(session, boundResource(authorized, deviceCode.isPresent()));
            } catch (Refusal refusal) {
                throw TokenEndpointRefusal.answer(event, cors, realm, DeviceAuthorizationExecutor.CHECK_ID, refusal);
            }
        }
        return super.process(context);
    }

    /**
     * The one place that decides the MCP server of a device-code token: the device code's, which a {@code resource} in
     * the poll may repeat but not change (RFC 8707). A server that takes DPoP-bound tokens only needs a proof here too.
     */
    private List<String> boundResource(List<String> authorized, boolean deviceCodeKnown) throws Refusal {
        Optional<String> requested = ResourceRequest.single(formParams.get(OAuth2Constants.RESOURCE));
        if (requested.isPresent()) {
            ResourceRequest.requireRegistered(realm, requested.get());
            if (deviceCodeKnown) {
                ResourceRequest.requireAuthorized(requested.get(), authorized, "The resource must be the one of the device authorization request");
            }
        }
        DpopRequirement.require(session, authorized);
        return authorized;
    }
}
