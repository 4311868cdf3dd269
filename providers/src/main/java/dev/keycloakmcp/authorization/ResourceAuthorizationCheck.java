package dev.keycloakmcp.authorization;

import java.util.List;

import org.keycloak.OAuth2Constants;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker;

import dev.keycloakmcp.core.Refusal;

/**
 * The {@code mcp-resource} check: an MCP client's {@code resource} names one registered MCP server.
 * The rule is {@link AuthorizationRequestRules#requireMcpServer}. The parsed request also covers PAR and request
 * objects, whose {@code resource} is not in the query string; more than one value in the query is refused too.
 */
class ResourceAuthorizationCheck extends McpAuthorizationCheck {

    @Override
    void apply(AuthorizationEndpointChecker checker) throws Refusal {
        ResourceRequest.single(checker.getQueryParams().get(OAuth2Constants.RESOURCE));
        String resource = checker.getAuthorizationEndpointRequest().getResource();
        AuthorizationRequestRules.requireMcpServer(checker.getRealm(), resource == null ? List.of() : List.of(resource));
    }
}
