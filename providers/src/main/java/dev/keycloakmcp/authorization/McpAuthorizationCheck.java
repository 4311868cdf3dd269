package dev.keycloakmcp.authorization;

import jakarta.ws.rs.core.Response;

import org.keycloak.events.Details;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker.AuthorizationCheckException;
import org.keycloak.protocol.oidc.endpoints.request.AuthorizationEndpointRequest;

import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.metrics.McpMetrics;

/**
 * One of the pack's rules as a Keycloak 26.7 authorization-endpoint check: MCP clients only, after Keycloak verified
 * the redirect URI. A {@link Refusal} is answered here, in one place: recorded in the realm's events, then sent to that
 * redirect URI (RFC 6749 §4.1.2.1), or shown on an error page when it must not go there.
 */
final class McpAuthorizationCheck implements AuthorizationEndpointCheckProvider {

    private final McpAuthorizationRule rule;

    McpAuthorizationCheck(McpAuthorizationRule rule) {
        this.rule = rule;
    }

    @Override
    public void check(AuthorizationEndpointChecker checker) throws AuthorizationCheckException {
        if (!McpClientKind.isMcpClient(checker.getClient())) {
            return;
        }
        try {
            AuthorizationEndpointRequest request = checker.getAuthorizationEndpointRequest();
            rule.apply(new McpAuthorizationRequest(checker.getRealm(), checker.getClient(), request, checker.getQueryParams(),
                    checker.getRedirectUri(), request.getResource()));
        } catch (Refusal refusal) {
            checker.getEventBuilder().detail(Details.REASON, refusal.description()).error(refusal.eventError());
            McpMetrics.refused(checker.getRealm().getName(), McpMetrics.Endpoint.AUTHORIZATION, rule.checkId(), refusal.eventError());
            if (!refusal.mayGoToRedirectUri()) {
                throw McpAuthorizationRule.errorPage(refusal);
            }
            throw new AuthorizationCheckException(Response.Status.fromStatusCode(refusal.status()), refusal.error(), refusal.description());
        }
    }

    @Override
    public void close() {
    }
}
