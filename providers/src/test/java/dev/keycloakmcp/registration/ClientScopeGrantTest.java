package dev.keycloakmcp.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClientScopeGrantTest {

    private static final List<String> MCP = List.of("mcp:tools");
    private static final List<String> REALM_OPTIONAL = List.of("offline_access", "address", "phone");

    @Test
    void grantsEveryMcpScopeAndTheRealmsOptionalScopes() {
        assertEquals(List.of("mcp:tools", "offline_access", "address", "phone"), ClientScopeGrant.optionalScopes(MCP, REALM_OPTIONAL));
    }

    @Test
    void anMcpScopeThatIsAlsoARealmOptionalScopeIsGrantedOnce() {
        assertEquals(List.of("mcp:tools", "offline_access"), ClientScopeGrant.optionalScopes(MCP, List.of("offline_access", "mcp:tools")));
    }

    @Test
    void withoutMcpScopesTheClientGetsWhatAnyNewClientGets() {
        assertEquals(REALM_OPTIONAL, ClientScopeGrant.optionalScopes(List.of(), REALM_OPTIONAL));
    }
}
