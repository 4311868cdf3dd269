package dev.keycloakmcp.authorization;

import jakarta.ws.rs.core.Response;

import org.keycloak.services.ErrorPageException;
import org.keycloak.utils.KeycloakSessionUtil;

import dev.keycloakmcp.core.Refusal;

/**
 * One of the pack's rules for an MCP client's authorization request, whichever entry point runs it: the check SPI
 * ({@link McpAuthorizationCheck}, Keycloak 26.7) or the client policy ({@link AuthorizationPolicyExecutor}, older lines).
 * Free of both, so that neither line loads a class of the other's SPI.
 */
interface McpAuthorizationRule {

    void apply(McpAuthorizationRequest authorization) throws Refusal;

    /** The id of its check ({@code mcp-pkce}…): how its refusals are told apart in the realm's metrics. */
    String checkId();

    /** A refusal that must not go to the redirect URI: Keycloak's error page. */
    static ErrorPageException errorPage(Refusal refusal) {
        return new ErrorPageException(KeycloakSessionUtil.getKeycloakSession(), Response.Status.fromStatusCode(refusal.status()), refusal.description());
    }
}
