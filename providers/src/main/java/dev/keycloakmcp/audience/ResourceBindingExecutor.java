package dev.keycloakmcp.audience;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.AuthorizationRequestContext;
import org.keycloak.services.clientpolicy.context.TokenRefreshContext;
import org.keycloak.services.clientpolicy.context.TokenRequestContext;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.keycloakmcp.model.ResourceIndicator;
import dev.keycloakmcp.model.ResourceServers;

/**
 * Client-policy executor {@code mcp-resource-binding}: an MCP client's tokens are for the one registered MCP
 * server the user authorized. Refused with RFC 8707 {@code invalid_target}: a {@code resource} that names no MCP
 * server of the realm (authorization request, including PAR and request objects; code exchange; refresh), more
 * than one resource, and a token request whose resource differs from the authorized one. The code exchange also
 * binds the client session to the code's resource, which the audience mapper reads.
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
            case AUTHORIZATION_REQUEST -> onAuthorization((AuthorizationRequestContext) context);
            case TOKEN_REQUEST -> onCodeExchange((TokenRequestContext) context);
            case TOKEN_REFRESH -> onRefresh((TokenRefreshContext) context);
            default -> {
            }
        }
    }

    private void onAuthorization(AuthorizationRequestContext context) throws ClientPolicyException {
        single(context.getRequestParameters().get(OAuth2Constants.RESOURCE));
        // The parsed request also covers PAR and request objects, where the query string does not carry resource.
        String resource = context.getAuthorizationEndpointRequest().getResource();
        if (resource == null || resource.isBlank()) {
            if (configuration.isRequireResource()) {
                throw invalidTarget("The resource parameter (RFC 8707) naming the MCP server is required");
            }
            return;
        }
        requireRegistered(resource);
    }

    /**
     * At this point Keycloak has parsed the code and found its session. Keycloak would turn a client-policy error
     * here into {@code invalid_grant}; RFC 8707 asks for {@code invalid_target}, so the refusal is the response itself.
     */
    private void onCodeExchange(TokenRequestContext context) {
        try {
            String requested = single(context.getParams().get(OAuth2Constants.RESOURCE));
            String authorized = context.getParseResult().getCodeData().getResource();
            if (requested != null) {
                requireRegistered(requested);
                if (!sameResource(requested, authorized)) {
                    throw invalidTarget("The resource must be the one of the authorization request");
                }
            }
            AuthorizedResource.bind(context.getParseResult().getClientSession(), authorized);
        } catch (ClientPolicyException refusal) {
            throw new ErrorResponseException(refusal.getError(), refusal.getErrorDetail(), Response.Status.BAD_REQUEST);
        }
    }

    private void onRefresh(TokenRefreshContext context) throws ClientPolicyException {
        String requested = single(context.getParams().get(OAuth2Constants.RESOURCE));
        if (requested == null) {
            return;
        }
        requireRegistered(requested);
        Optional<AuthenticatedClientSessionModel> clientSession = AuthorizedResource.ofRefreshToken(session, realm(),
                context.getClient(), context.getParams().getFirst(OAuth2Constants.REFRESH_TOKEN));
        if (clientSession.isPresent()
                && !sameResource(requested, AuthorizedResource.of(clientSession.get()).orElse(null))) {
            throw invalidTarget("A refresh may only keep the resource the user authorized");
        }
    }

    private void requireRegistered(String resource) throws ClientPolicyException {
        if (ResourceServers.find(realm(), resource).isEmpty()) {
            throw invalidTarget("The resource '" + resource + "' is not an MCP server registered in this realm");
        }
    }

    /** The one resource of a request, or null; a token is for one MCP server. */
    private static String single(List<String> values) throws ClientPolicyException {
        List<String> present = values == null ? List.of() : values.stream().filter(v -> v != null && !v.isBlank()).distinct().toList();
        if (present.size() > 1) {
            throw invalidTarget("Only one resource may be requested: a token is for one MCP server");
        }
        return present.isEmpty() ? null : present.get(0);
    }

    private static boolean sameResource(String requested, String authorized) {
        return authorized != null
                && Objects.equals(ResourceIndicator.canonical(requested), ResourceIndicator.canonical(authorized));
    }

    private static ClientPolicyException invalidTarget(String description) {
        return new ClientPolicyException(OAuthErrorException.INVALID_TARGET, description);
    }

    private RealmModel realm() {
        return session.getContext().getRealm();
    }
}
