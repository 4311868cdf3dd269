package dev.keycloakmcp.audience;

import java.util.List;

import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.AuthorizationRequestContext;
import org.keycloak.services.clientpolicy.context.TokenRefreshContext;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.keycloakmcp.model.ResourceServers;

/**
 * Client-policy executor {@code mcp-resource-binding}: an MCP client may only ask for tokens for MCP servers
 * registered in the realm. A {@code resource} naming anything else is refused with RFC 8707
 * {@code invalid_target} on the authorization request, the code exchange and refresh.
 */
public class ResourceBindingExecutor implements ClientPolicyExecutorProvider<ResourceBindingExecutor.Configuration> {

    private final KeycloakSession session;
    private Configuration configuration = new Configuration();

    public ResourceBindingExecutor(KeycloakSession session) {
        this.session = session;
    }

    public static class Configuration extends ClientPolicyExecutorConfigurationRepresentation {
        @JsonProperty(ResourceBindingExecutorFactory.REQUIRE_RESOURCE)
        private boolean requireResource;

        public boolean isRequireResource() {
            return requireResource;
        }

        public void setRequireResource(boolean requireResource) {
            this.requireResource = requireResource;
        }
    }

    @Override
    public void setupConfiguration(Configuration config) {
        this.configuration = config == null ? new Configuration() : config;
    }

    @Override
    public Class<Configuration> getExecutorConfigurationClass() {
        return Configuration.class;
    }

    @Override
    public String getProviderId() {
        return ResourceBindingExecutorFactory.ID;
    }

    @Override
    public void executeOnEvent(ClientPolicyContext context) throws ClientPolicyException {
        switch (context.getEvent()) {
            case AUTHORIZATION_REQUEST -> check(((AuthorizationRequestContext) context).getRequestParameters().get(OAuth2Constants.RESOURCE), true);
            // The code-exchange form is not exposed by the pre-token context; read it from the request itself.
            case PRE_TOKEN_REQUEST -> check(session.getContext().getHttpRequest().getDecodedFormParameters().get(OAuth2Constants.RESOURCE), false);
            case TOKEN_REFRESH -> check(((TokenRefreshContext) context).getParams().get(OAuth2Constants.RESOURCE), false);
            default -> {
            }
        }
    }

    private void check(List<String> parameter, boolean authorizationRequest) throws ClientPolicyException {
        List<String> resources = RequestedResource.values(parameter);
        if (resources.isEmpty()) {
            if (authorizationRequest && configuration.isRequireResource()) {
                throw new ClientPolicyException(OAuthErrorException.INVALID_TARGET,
                        "The resource parameter (RFC 8707) naming the MCP server is required");
            }
            return;
        }
        RealmModel realm = session.getContext().getRealm();
        for (String resource : resources) {
            if (ResourceServers.find(session, realm, resource).isEmpty()) {
                throw new ClientPolicyException(OAuthErrorException.INVALID_TARGET,
                        "The resource '" + resource + "' is not an MCP server registered in this realm");
            }
        }
    }
}
