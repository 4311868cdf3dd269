package dev.keycloakmcp.authorization;

import java.util.List;

import org.keycloak.OAuth2Constants;

import dev.keycloakmcp.core.Refusal;

/**
 * The {@code mcp-resource} check: an MCP client's {@code resource} names one registered MCP server.
 * The rule is {@link AuthorizationRequestRules#requireMcpServer}. The parsed request also covers PAR and request
 * objects, whose {@code resource} is not in the query string; more than one value in the query is refused too.
 */
class ResourceAuthorizationCheck implements McpAuthorizationRule {

    @Override
    public void apply(McpAuthorizationRequest authorization) throws Refusal {
        ResourceRequest.single(authorization.query().get(OAuth2Constants.RESOURCE));
        String resource = authorization.resource();
        AuthorizationRequestRules.requireMcpServer(authorization.realm(), resource == null ? List.of() : List.of(resource));
    }

    @Override
    public String checkId() {
        return ResourceAuthorizationCheckFactory.ID;
    }
}
