package dev.keycloakmcp.clientpolicy;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyEvent;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.ClientPolicyVote;
import org.keycloak.services.clientpolicy.condition.AbstractClientPolicyConditionProvider;
import org.keycloak.representations.idm.ClientPolicyConditionConfigurationRepresentation;
import org.keycloak.services.clientpolicy.context.ClientModelContext;
import org.keycloak.services.clientpolicy.context.PreAuthorizationRequestContext;

import dev.keycloakmcp.model.McpClientKind;

/**
 * Client-policy condition {@code mcp-client}: true for every MCP client, however it came to exist, so that one
 * realm policy (forced PKCE, resource binding…) covers them all with no per-client configuration.
 */
public class McpClientCondition extends AbstractClientPolicyConditionProvider<ClientPolicyConditionConfigurationRepresentation> {

    public McpClientCondition(KeycloakSession session) {
        super(session);
    }

    @Override
    public ClientPolicyVote applyPolicy(ClientPolicyContext context) throws ClientPolicyException {
        ClientModel client;
        if (context.getEvent() == ClientPolicyEvent.PRE_TOKEN_REQUEST) {
            // Resolving the client there means parsing the code and loading its sessions once more; the MCP checks
            // of a code exchange run at TOKEN_REQUEST, where Keycloak has already done that.
            return ClientPolicyVote.ABSTAIN;
        } else if (context.getEvent() == ClientPolicyEvent.PRE_AUTHORIZATION_REQUEST) {
            client = session.getContext().getRealm().getClientByClientId(((PreAuthorizationRequestContext) context).getClientId());
        } else if (context instanceof ClientModelContext clientContext) {
            client = clientContext.getClient();
        } else {
            return ClientPolicyVote.ABSTAIN;
        }
        return McpClientKind.isMcpClient(client) ? ClientPolicyVote.YES : ClientPolicyVote.NO;
    }

    @Override
    public String getProviderId() {
        return McpClientConditionFactory.ID;
    }
}
