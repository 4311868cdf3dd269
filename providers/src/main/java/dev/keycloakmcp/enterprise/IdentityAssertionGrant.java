package dev.keycloakmcp.enterprise;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeBase;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

import dev.keycloakmcp.authorization.AuthorizedResource;
import dev.keycloakmcp.authorization.DpopRequirement;
import dev.keycloakmcp.authorization.ResourceRequest;
import dev.keycloakmcp.authorization.TokenEndpointRefusal;
import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.core.ResourceIndicator;
import dev.keycloakmcp.core.ResourceServers;

/**
 * The JWT bearer grant (RFC 7523) for ID-JAGs: an MCP client presents the assertion an enterprise IdP the realm trusts
 * ({@link TrustedIdps}) issued it, and gets an access token for the assertion's MCP server, as the linked user, with no
 * browser and no consent screen (the IdP's policy is the consent). The token's {@code aud} is that MCP server alone; no
 * refresh token is issued (the client asks the IdP for a new assertion, so the IdP's policy is applied again), and the
 * user session is transient. Assertions whose issuer no trusted IdP has go to Keycloak's own JWT authorization grant
 * where that exists and is on (26.5+), except from MCP clients, which get ID-JAG rules only.
 */
class IdentityAssertionGrant extends OAuth2GrantTypeBase {

    static final String CHECK_ID = "mcp-id-jag";
    static final String ASSERTION = "assertion";
    /** {@code authMethod} of the transient user session, as the events and the session show it. */
    static final String AUTH_METHOD = "id-jag";

    private final KeycloakJwtGrant keycloakGrant;

    IdentityAssertionGrant(KeycloakJwtGrant keycloakGrant) {
        this.keycloakGrant = keycloakGrant;
    }

    @Override
    public Response process(Context context) {
        setContext(context);
        UserModel user;
        String scope;
        try {
            VerifiedAssertion.Unverified unverified = VerifiedAssertion.Unverified.read(formParams.get(ASSERTION));
            TrustedIdps.Trusted idp = unverified.trustedIdp(session, realm).orElse(null);
            if (idp == null && !McpClientKind.isMcpClient(client) && keycloakGrant.isAvailable()) {
                return keycloakGrant.process(session, context);
            }
            if (idp == null) {
                throw Refusal.invalidGrant("The assertion's issuer is not an identity provider this realm trusts for ID-JAGs");
            }
            event.detail(Details.IDENTITY_PROVIDER, idp.settings().alias());
            requireClientMayPresent(idp);
            if (unverified.clientId().filter(client.getClientId()::equals).isEmpty()) {
                // Checked again once verified; asked first so that no other client makes the IdP's keys be looked up.
                throw Refusal.invalidGrant("The assertion was issued to another client");
            }
            long now = Time.currentTime();
            IdentityAssertion assertion = unverified.verify(session, realm, idp, now).assertion();
            event.detail(Details.IDENTITY_PROVIDER_USERNAME, assertion.subject());
            assertion.requireClient(client.getClientId());
            ClientModel server = ResourceServers.find(realm, assertion.resource())
                    .orElseThrow(() -> Refusal.invalidGrant("The assertion's resource is not an MCP server of this realm"));
            String bound = ResourceServers.resourceOf(server);
            Optional<String> requested = ResourceRequest.single(formParams.get(OAuth2Constants.RESOURCE));
            if (requested.isPresent() && !ResourceIndicator.canonical(requested.get()).map(bound::equals).orElse(false)) {
                throw Refusal.invalidTarget("The resource must be the assertion's, " + bound);
            }
            scope = AssertedScope.granted(formParams.getFirst(OAuth2Constants.SCOPE), assertion.scope());
            user = LinkedUser.find(session, realm, idp.settings(), assertion);
            DpopRequirement.require(session, List.of(bound));
            // Last: a request refused for another reason leaves the assertion usable by its rightful client.
            AssertionReplay.use(session, idp.settings().alias(), assertion, now);
            AuthorizedResource.attach(session, List.of(bound));
        } catch (Refusal refusal) {
            throw TokenEndpointRefusal.answer(event, cors, realm, CHECK_ID, refusal);
        }
        return issue(user, scope);
    }

    /**
     * Which clients may present an ID-JAG: confidential clients, and public ones only where the IdP takes them and they
     * are MCP clients (self-registered, metadata-document, pre-registered): never the realm's own public applications
     * (account console, admin CLI), which have nothing to do with an IdP's grant to an MCP client.
     */
    private void requireClientMayPresent(TrustedIdps.Trusted idp) throws Refusal {
        if (!client.isPublicClient()) {
            return;
        }
        if (!idp.settings().publicClients()) {
            throw Refusal.unauthorizedClient("Assertions of " + idp.settings().alias() + " are accepted from authenticated clients only");
        }
        if (!McpClientKind.isMcpClient(client)) {
            throw Refusal.unauthorizedClient("Public clients that are not MCP clients cannot present assertions");
        }
    }

    /** Access token only, from a transient user session, as Keycloak issues service-account tokens. */
    private Response issue(UserModel user, String scope) {
        event.user(user).detail(Details.USERNAME, user.getUsername());
        RootAuthenticationSessionModel root = new AuthenticationSessionManager(session).createAuthenticationSession(realm, false);
        AuthenticationSessionModel authSession = root.createAuthenticationSession(client);
        authSession.setAuthenticatedUser(user);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setClientNote(OIDCLoginProtocol.ISSUER, Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, scope);
        AuthenticationManager.setClientScopesInSession(session, authSession);
        UserSessionModel userSession = new UserSessionManager(session).createUserSession(root.getId(), realm, user, user.getUsername(),
                clientConnection.getRemoteHost(), AUTH_METHOD, false, null, null, UserSessionModel.SessionPersistenceState.TRANSIENT);
        event.session(userSession);
        ClientSessionContext clientSessionCtx = TokenManager.attachAuthenticationSession(session, userSession, authSession);
        TokenManager.AccessTokenResponseBuilder tokens = tokenManager.responseBuilder(realm, client, event, session, userSession, clientSessionCtx)
                .generateAccessToken();
        // As Keycloak does for its transient sessions: no sid, so introspection takes the token as of a transient session
        // rather than look for a stored one that never existed.
        tokens.getAccessToken().setSessionId(null);
        checkAndBindMtlsHoKToken(tokens, false);
        AccessTokenResponse answer = tokens.build();
        event.success();
        return cors.add(Response.ok(answer, MediaType.APPLICATION_JSON_TYPE));
    }

    /** Keycloak 26.5+ has {@code JWT_AUTHORIZATION_GRANT}; before, the closest event a sign-in without a browser has. */
    @Override
    public EventType getEventType() {
        try {
            return EventType.valueOf("JWT_AUTHORIZATION_GRANT");
        } catch (IllegalArgumentException before265) {
            return EventType.LOGIN;
        }
    }

    /** The token request parameters of this grant (Keycloak 26.7 asks each grant). */
    public Set<String> getTokenParameterNames() {
        return Set.of(ASSERTION, OAuth2Constants.SCOPE, OAuth2Constants.RESOURCE);
    }
}
