package dev.keycloakmcp.authorization;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.device.clientpolicy.context.DeviceTokenResponseContext;
import org.keycloak.protocol.oidc.utils.OAuth2CodeParser;
import org.keycloak.representations.RefreshToken;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.AuthorizationRequestContext;
import org.keycloak.services.clientpolicy.context.TokenRefreshContext;
import org.keycloak.services.clientpolicy.context.TokenRefreshResponseContext;
import org.keycloak.services.clientpolicy.context.TokenRequestContext;
import org.keycloak.services.clientpolicy.context.TokenResponseContext;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;
import org.keycloak.sessions.AuthenticationSessionModel;

import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.McpClientPolicy;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.metrics.McpMetrics;

/**
 * The pack's authorization rules on Keycloak before 26.7, as the executor of the realm's client policy
 * ({@link McpClientPolicy}): what {@link McpAuthorizationCheck}, {@link ResourceBoundCodeGrant} and {@link ResourceBoundRefresh} do on 26.7.
 * <ul>
 * <li>Authorization request: the three checks for an MCP client; the {@code resource} is kept in the authentication
 * session for the consent page, and under the PKCE challenge, which names this one authorization, for the code
 * exchange (Keycloak's codes carry no resource before 26.7; the session's notes reach the client session).</li>
 * <li>Code exchange: the resource kept under the code's challenge is what {@link AuthorizedResource} holds; an MCP
 * client's {@code resource} must be it.</li>
 * <li>Refresh: what the refresh token was issued for, which this executor signs into every refresh token it sees made
 * ({@link AuthorizedResource#REFRESH_CLAIM}; Keycloak's refresh tokens carry no audience before 26.7).</li>
 * </ul>
 * Keycloak answers a {@link ClientPolicyException}: a redirect with the error at the authorization endpoint, 400 with
 * it at the token endpoint (a code exchange's always as {@code invalid_grant}, Keycloak's mapping there).
 */
class AuthorizationPolicyExecutor implements ClientPolicyExecutorProvider<ClientPolicyExecutorConfigurationRepresentation> {

    private static final String CODE_NOTE_PREFIX = "mcp.resource.";

    private final KeycloakSession session;
    private final List<McpAuthorizationRule> rules;

    AuthorizationPolicyExecutor(KeycloakSession session) {
        this.session = session;
        this.rules = List.of(new PkceRequirement(), new ResourceAuthorizationCheck(), new AuthorizationResponseCheck(session));
    }

    @Override
    public String getProviderId() {
        return McpClientPolicy.AUTHORIZATION_EXECUTOR;
    }

    @Override
    public void executeOnEvent(ClientPolicyContext context) throws ClientPolicyException {
        if (!McpClientPolicy.isNeeded()) {
            return;
        }
        if (context instanceof AuthorizationRequestContext authorization) {
            onAuthorizationRequest(authorization);
        } else if (context instanceof TokenRequestContext exchange) {
            onCodeExchange(exchange);
        } else if (context instanceof TokenRefreshContext refresh) {
            onRefresh(refresh);
        } else if (context instanceof TokenResponseContext response) {
            signIntoRefreshToken(response.getAccessTokenResponseBuilder());
        } else if (context instanceof TokenRefreshResponseContext response) {
            signIntoRefreshToken(response.getAccessTokenResponseBuilder());
        } else if (context instanceof DeviceTokenResponseContext response) {
            // The device-code grant bound the tokens (DeviceCodeGrant); its refresh tokens keep that too.
            signIntoRefreshToken(response.getAccessTokenResponseBuilder());
        }
    }

    private void onAuthorizationRequest(AuthorizationRequestContext context) throws ClientPolicyException {
        RealmModel realm = session.getContext().getRealm();
        ClientModel client = session.getContext().getClient();
        McpAuthorizationRequest authorization = McpAuthorizationRequest.of(realm, client, context.getAuthorizationEndpointRequest(),
                context.getRequestParameters(), context.getRedirectUri());
        if (McpClientKind.isMcpClient(client)) {
            for (McpAuthorizationRule rule : rules) {
                try {
                    rule.apply(authorization);
                } catch (Refusal refusal) {
                    McpMetrics.refused(realm.getName(), McpMetrics.Endpoint.AUTHORIZATION, rule.checkId(), refusal.eventError());
                    throw atAuthorizationEndpoint(realm, client, refusal);
                }
            }
        }
        String resource = authorization.resource();
        // The endpoint's authentication session, which Keycloak has put into the context (the context's getter is newer).
        AuthenticationSessionModel authSession = session.getContext().getAuthenticationSession();
        if (resource != null && authSession != null) {
            authSession.setClientNote(OAuth2Constants.RESOURCE, resource);
            String challenge = authorization.request().getCodeChallenge();
            if (challenge != null) {
                authSession.setClientNote(CODE_NOTE_PREFIX + challenge, resource);
            }
        }
    }

    private void onCodeExchange(TokenRequestContext context) throws ClientPolicyException {
        OAuth2CodeParser.ParseResult code = context.getParseResult();
        AuthenticatedClientSessionModel clientSession = code.getClientSession();
        String challenge = code.getCodeData() == null ? null : code.getCodeData().getCodeChallenge();
        List<String> authorized = List.of();
        if (challenge != null && clientSession != null) {
            String note = CODE_NOTE_PREFIX + challenge;
            String resource = clientSession.getNote(note);
            if (resource != null) {
                authorized = List.of(resource);
                // The code is used up: its note is not needed again.
                clientSession.removeNote(note);
            }
        }
        requireAuthorized(context.getParams().get(OAuth2Constants.RESOURCE), authorized, "The resource must be the one of the authorization request");
        requireDpop(authorized);
        AuthorizedResource.attach(session, authorized);
    }

    private void onRefresh(TokenRefreshContext context) throws ClientPolicyException {
        String token = context.getParams().getFirst(OAuth2Constants.REFRESH_TOKEN);
        // Verified as Keycloak does next; one that does not verify is Keycloak's to refuse.
        RefreshToken refreshToken = token == null ? null : session.tokens().decode(token, RefreshToken.class);
        if (refreshToken == null) {
            return;
        }
        List<String> issuedFor = AuthorizedResource.signedIn(refreshToken);
        requireAuthorized(context.getParams().get(OAuth2Constants.RESOURCE), issuedFor, "A refresh may only keep the resource the user authorized");
        requireDpop(issuedFor);
        AuthorizedResource.attach(session, issuedFor);
    }

    /** The new refresh token keeps what this request's tokens were bound to. */
    private void signIntoRefreshToken(TokenManager.AccessTokenResponseBuilder response) {
        RefreshToken refreshToken = response.getRefreshToken();
        if (refreshToken != null) {
            AuthorizedResource.signInto(session, refreshToken);
        }
    }

    /** Tokens for an MCP server that requires DPoP only with a proof ({@link DpopRequirement}). */
    private void requireDpop(List<String> resources) throws ClientPolicyException {
        try {
            DpopRequirement.require(session, resources);
        } catch (Refusal refusal) {
            McpMetrics.refused(session.getContext().getRealm().getName(), McpMetrics.Endpoint.TOKEN, ResourceAuthorizationCheckFactory.ID,
                    refusal.eventError());
            throw new ClientPolicyException(refusal.error(), refusal.description(), Response.Status.fromStatusCode(refusal.status()));
        }
    }

    /** For an MCP client, a {@code resource} at the token endpoint names a registered MCP server, the authorized one. */
    private void requireAuthorized(List<String> requestedValues, List<String> authorized, String description) throws ClientPolicyException {
        if (!McpClientKind.isMcpClient(session.getContext().getClient())) {
            return;
        }
        try {
            Optional<String> requested = ResourceRequest.single(requestedValues);
            if (requested.isPresent()) {
                ResourceRequest.requireRegistered(session.getContext().getRealm(), requested.get());
                ResourceRequest.requireAuthorized(requested.get(), authorized, description);
            }
        } catch (Refusal refusal) {
            McpMetrics.refused(session.getContext().getRealm().getName(), McpMetrics.Endpoint.TOKEN, ResourceAuthorizationCheckFactory.ID,
                    refusal.eventError());
            throw new ClientPolicyException(refusal.error(), refusal.description(), Response.Status.fromStatusCode(refusal.status()));
        }
    }

    /**
     * Keycloak records a client-policy refusal in the realm's events and redirects it; one that must not go to the
     * redirect URI is recorded here and shown on the error page, as the checks do on 26.7.
     */
    private ClientPolicyException atAuthorizationEndpoint(RealmModel realm, ClientModel client, Refusal refusal) {
        if (!refusal.mayGoToRedirectUri()) {
            new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.LOGIN).client(client)
                    .detail(Details.REASON, refusal.description()).error(refusal.eventError());
            throw McpAuthorizationRule.errorPage(refusal);
        }
        return new ClientPolicyException(refusal.error(), refusal.description(), Response.Status.fromStatusCode(refusal.status()));
    }
}
