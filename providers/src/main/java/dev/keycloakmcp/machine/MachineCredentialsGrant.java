package dev.keycloakmcp.machine;

import java.util.List;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.protocol.oidc.grants.ClientCredentialsGrantType;

import dev.keycloakmcp.authorization.AuthorizedResource;
import dev.keycloakmcp.authorization.DpopRequirement;
import dev.keycloakmcp.authorization.TokenEndpointRefusal;
import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.core.ResourceServers;

/**
 * Keycloak's {@code client_credentials} grant, for MCP: a machine client ({@link MachineClient}) gets a token bound to
 * the one MCP server its {@code resource} names, among those the admin allowed it; self-registered MCP clients never
 * get the grant, even with service accounts switched on by hand. Every other client (the realm's own service
 * accounts) goes through Keycloak's grant unchanged, with Keycloak's checks (service accounts on, scopes assigned).
 */
class MachineCredentialsGrant extends ClientCredentialsGrantType {

    static final String CHECK_ID = "mcp-client-credentials";

    @Override
    public Response process(Context context) {
        setContext(context);
        McpClientKind kind = McpClientKind.of(client).orElse(null);
        if (kind != null && (kind.isSelfRegistered() || kind == McpClientKind.MACHINE)) {
            try {
                if (kind.isSelfRegistered()) {
                    throw Refusal.unauthorizedClient("Self-registered MCP clients cannot use the client_credentials grant");
                }
                List<String> bound = List.of(ResourceServers.resourceOf(MachineClient.serverFor(realm, client, formParams.get(OAuth2Constants.RESOURCE))));
                DpopRequirement.require(session, bound);
                AuthorizedResource.attach(session, bound);
            } catch (Refusal refusal) {
                throw TokenEndpointRefusal.answer(event, cors, realm, CHECK_ID, refusal);
            }
        }
        return super.process(context);
    }
}
