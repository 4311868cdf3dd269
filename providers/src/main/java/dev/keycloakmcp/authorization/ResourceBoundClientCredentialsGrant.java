package dev.keycloakmcp.authorization;

import java.util.List;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.events.Details;
import org.keycloak.protocol.oidc.grants.ClientCredentialsGrantType;
import org.keycloak.services.CorsErrorResponseException;

import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.core.ResourceServers;
import dev.keycloakmcp.machine.MachineClient;
import dev.keycloakmcp.metrics.McpMetrics;

/**
 * Keycloak's {@code client_credentials} grant, for MCP: a machine client ({@link MachineClient}) gets a token bound to
 * the one MCP server its {@code resource} names, among those the admin allowed it; self-registered MCP clients never
 * get the grant, even with service accounts switched on by hand. Every other client (the realm's own service
 * accounts) goes through Keycloak's grant unchanged, with Keycloak's checks (service accounts on, scopes assigned).
 */
class ResourceBoundClientCredentialsGrant extends ClientCredentialsGrantType {

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
                throw answer(refusal);
            }
        }
        return super.process(context);
    }

    /** How the token endpoint answers a refusal: recorded in the realm's events and metrics, then JSON with CORS. */
    private CorsErrorResponseException answer(Refusal refusal) {
        event.detail(Details.REASON, refusal.description());
        event.error(refusal.eventError());
        McpMetrics.refused(realm.getName(), McpMetrics.Endpoint.TOKEN, CHECK_ID, refusal.eventError());
        return new CorsErrorResponseException(cors, refusal.error(), refusal.description(), Response.Status.fromStatusCode(refusal.status()));
    }
}
