package dev.keycloakmcp.audience;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.protocol.oidc.grants.AuthorizationCodeGrantType;
import org.keycloak.protocol.oidc.utils.OAuth2Code;
import org.keycloak.protocol.oidc.utils.OAuth2CodeParser;
import org.keycloak.services.CorsErrorResponseException;

import dev.keycloakmcp.audience.ResourceRequest.InvalidTarget;
import dev.keycloakmcp.model.McpClientKind;

/**
 * Keycloak's {@code authorization_code} grant, which for an MCP client also binds the token to the MCP server the
 * user authorized: a {@code resource} in the token request must be that server ({@code invalid_target} otherwise,
 * and the code stays unused), and the client session is bound to the code's resource, which the audience mapper
 * turns into {@code aud}. Other clients get Keycloak's grant unchanged.
 */
public class ResourceBoundCodeGrant extends AuthorizationCodeGrantType {

    /** The code's authorization, read before Keycloak consumes the code; null until read. */
    private Optional<OAuth2Code> authorization;

    @Override
    public Response process(Context context) {
        setContext(context);
        if (McpClientKind.isMcpClient(client)) {
            authorization = peek(formParams.getFirst(OAuth2Constants.CODE));
            try {
                Optional<String> requested = ResourceRequest.single(formParams.get(OAuth2Constants.RESOURCE));
                if (requested.isPresent()) {
                    ResourceRequest.requireRegistered(realm, requested.get());
                    // An unknown or used code: Keycloak answers invalid_grant below.
                    if (authorization.isPresent()) {
                        String authorized = authorization.get().getResource();
                        ResourceRequest.requireAuthorized(requested.get(), authorized == null ? List.of() : List.of(authorized),
                                "The resource must be the one of the authorization request");
                    }
                }
            } catch (InvalidTarget refusal) {
                event.detail(Details.REASON, refusal.getMessage());
                event.error(OAuthErrorException.INVALID_TARGET);
                throw new CorsErrorResponseException(cors, OAuthErrorException.INVALID_TARGET, refusal.getMessage(), Response.Status.BAD_REQUEST);
            }
        }
        return super.process(context);
    }

    /** Called by Keycloak once the code is consumed and verified, before any token is made. */
    @Override
    public void updateClientSession(AuthenticatedClientSessionModel clientSession) {
        super.updateClientSession(clientSession);
        if (authorization == null || clientSession == null) {
            return;
        }
        if (authorization.isEmpty()) {
            // The code was valid for Keycloak but unreadable before: never issue an MCP token of unknown audience.
            event.error(Errors.INVALID_CODE);
            throw new CorsErrorResponseException(cors, OAuthErrorException.INVALID_GRANT, "Code not valid", Response.Status.BAD_REQUEST);
        }
        AuthorizedResource.bind(clientSession, authorization.get().getResource());
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
