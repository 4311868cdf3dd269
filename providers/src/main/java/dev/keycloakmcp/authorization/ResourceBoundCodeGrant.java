package dev.keycloakmcp.authorization;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Errors;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.AuthorizationCodeGrantType;
import org.keycloak.protocol.oidc.utils.OAuth2Code;
import org.keycloak.protocol.oidc.utils.OAuth2CodeParser;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.clientpolicy.ClientPolicyContext;

import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.Refusal;

/**
 * Keycloak's {@code authorization_code} grant, which also binds the tokens to the MCP server the user authorized.
 * For every client, the code's own {@code resource} is what {@link AuthorizedResource} holds. For an MCP client, a
 * {@code resource} in the token request must be that server ({@link ResourceRequest}), checked before the code is used.
 */
class ResourceBoundCodeGrant extends AuthorizationCodeGrantType {

    /** The code's authorization, read before Keycloak consumes the code. */
    private Optional<OAuth2Code> authorization = Optional.empty();

    @Override
    public Response process(Context context) {
        setContext(context);
        authorization = peek(formParams.getFirst(OAuth2Constants.CODE));
        if (McpClientKind.isMcpClient(client)) {
            try {
                Optional<String> requested = ResourceRequest.single(formParams.get(OAuth2Constants.RESOURCE));
                if (requested.isPresent()) {
                    ResourceRequest.requireRegistered(realm, requested.get());
                    // An unknown or used code: Keycloak answers invalid_grant below.
                    if (authorization.isPresent()) {
                        ResourceRequest.requireAuthorized(requested.get(), resourcesOf(authorization.get()),
                                "The resource must be the one of the authorization request");
                    }
                }
            } catch (Refusal refusal) {
                throw TokenEndpointRefusal.answer(event, cors, realm, ResourceAuthorizationCheckFactory.ID, refusal);
            }
        }
        try {
            // Before Keycloak uses the code up: a client without a proof can try again with one.
            DpopRequirement.require(session, authorization.map(ResourceBoundCodeGrant::resourcesOf).orElse(List.of()));
        } catch (Refusal refusal) {
            throw TokenEndpointRefusal.answer(event, cors, realm, ResourceAuthorizationCheckFactory.ID, refusal);
        }
        return super.process(context);
    }

    /** Called by Keycloak once the code is consumed and verified, before the tokens are made. */
    @Override
    protected TokenManager.AccessTokenResponseBuilder createTokenResponseBuilder(UserModel user, UserSessionModel userSession,
            ClientSessionContext clientSessionCtx, String scopeParam,
            Function<TokenManager.AccessTokenResponseBuilder, ClientPolicyContext> clientPolicyContextGenerator) {
        if (authorization.isEmpty()) {
            // The code was valid for Keycloak but unreadable before: never issue a token of unknown audience.
            event.error(Errors.INVALID_CODE);
            throw new CorsErrorResponseException(cors, OAuthErrorException.INVALID_GRANT, "Code not valid", Response.Status.BAD_REQUEST);
        }
        AuthorizedResource.attach(session, resourcesOf(authorization.get()));
        return super.createTokenResponseBuilder(user, userSession, clientSessionCtx, scopeParam, clientPolicyContextGenerator);
    }

    private static List<String> resourcesOf(OAuth2Code authorization) {
        String resource = authorization.getResource();
        return resource == null || resource.isBlank() ? List.of() : List.of(resource);
    }

    /** The stored authorization of a code, without consuming it (codes are {@code <id>.<user session>.<client>}). */
    private Optional<OAuth2Code> peek(String code) {
        int dot = code == null ? -1 : code.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        Map<String, String> stored = session.singleUseObjects().get(OAuth2CodeParser.CACHE_KEY_PREFIX + code.substring(0, dot));
        return stored == null ? Optional.empty() : Optional.of(OAuth2Code.deserializeCode(stored));
    }
}
