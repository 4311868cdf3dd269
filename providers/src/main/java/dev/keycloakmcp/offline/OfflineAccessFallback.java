package dev.keycloakmcp.offline;

import org.jboss.logging.Logger;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.TriggerOnlyRequiredAction;

/**
 * The {@code mcp-offline-access-fallback} action: an ordinary refresh token for users without {@code offline_access}.
 * Keycloak would answer {@code not_allowed} at the code exchange, which ends the client's sign-in for good, and MCP
 * 2026-07-28 clients ask for {@code offline_access} whenever the metadata lists it. The scope is dropped after sign-in
 * and before the consent page, so the page does not promise it and the token response's {@code scope} says it was not
 * granted. Only MCP clients' requests are changed; other clients keep Keycloak's behaviour.
 */
class OfflineAccessFallback extends TriggerOnlyRequiredAction {

    private static final Logger LOG = Logger.getLogger(OfflineAccessFallback.class);

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (authSession == null || !McpClientKind.isMcpClient(authSession.getClient())) {
            return;
        }
        String scope = authSession.getClientNote(OIDCLoginProtocol.SCOPE_PARAM);
        UserModel user = context.getUser();
        if (user == null || !OfflineAccess.isRequested(scope)
                || OfflineAccess.isGrantable(context.getSession(), user, authSession.getClient(), scope)) {
            return;
        }
        LOG.debugf("User %s may not have offline_access: client %s gets an ordinary refresh token",
                user.getUsername(), authSession.getClient().getClientId());
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, OfflineAccess.withoutOfflineAccess(scope));
        // The consent page and the code read the client scopes Keycloak resolved from the note after sign-in.
        AuthenticationManager.setClientScopesInSession(context.getSession(), authSession);
    }
}
