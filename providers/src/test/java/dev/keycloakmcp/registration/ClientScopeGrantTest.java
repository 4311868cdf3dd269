package dev.keycloakmcp.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClientScopeGrantTest {

    private static final List<String> MCP = List.of("mcp:tools");
    private static final List<String> REALM_OPTIONAL = List.of("offline_access", "address", "phone");

    @Test
    void grantsEveryMcpScopeAndKeepsRealmOptionalScopesAskedFor() {
        assertEquals(List.of("mcp:tools", "offline_access"),
                ClientScopeGrant.optionalScopes(List.of("openid", "mcp:tools", "offline_access"), MCP, REALM_OPTIONAL));
    }

    @Test
    void dropsOpenidAndUnknownScopes() {
        assertEquals(List.of("mcp:tools"),
                ClientScopeGrant.optionalScopes(List.of("openid", "admin", "mcp:everything", "roles"), MCP, REALM_OPTIONAL));
    }

    @Test
    void grantsMcpScopesWhenNoneAreAskedFor() {
        assertEquals(List.of("mcp:tools"), ClientScopeGrant.optionalScopes(null, MCP, REALM_OPTIONAL));
        assertEquals(List.of("mcp:tools"), ClientScopeGrant.optionalScopes(List.of(), MCP, REALM_OPTIONAL));
    }
}
