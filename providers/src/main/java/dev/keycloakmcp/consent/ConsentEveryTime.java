package dev.keycloakmcp.consent;

import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.util.TokenUtil;

import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.TriggerOnlyRequiredAction;

/**
 * The {@code mcp-consent-every-time} action: the consent page on every authorization by a self-registered client.
 * Keycloak would skip it once the user has granted the scopes, but nobody vouched for such a client, and each
 * authorization may name another MCP server. Works as OIDC's {@code prompt=consent} does (the stored consent is
 * ignored, then updated), set in the trigger step ({@link TriggerOnlyRequiredAction}), before Keycloak decides
 * whether to ask.
 */
class ConsentEveryTime extends TriggerOnlyRequiredAction {

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (authSession == null || !McpClientKind.of(authSession.getClient()).map(McpClientKind::isSelfRegistered).orElse(false)) {
            return;
        }
        String prompt = authSession.getClientNote(OIDCLoginProtocol.PROMPT_PARAM);
        if (!TokenUtil.hasPrompt(prompt, OIDCLoginProtocol.PROMPT_VALUE_CONSENT)) {
            authSession.setClientNote(OIDCLoginProtocol.PROMPT_PARAM,
                    prompt == null || prompt.isBlank() ? OIDCLoginProtocol.PROMPT_VALUE_CONSENT : prompt + " " + OIDCLoginProtocol.PROMPT_VALUE_CONSENT);
        }
    }
}
