package dev.keycloakmcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClientScopeGrantTest {

    private static final List<String> MCP = List.of("mcp:tools");
    private static final List<String> REALM_OPTIONAL = List.of("offline_access", "address", "phone");
    private static final List<String> REALM_DEFAULT = List.of("mcp-audience", "profile", "email");

    @Test
    void grantsEveryMcpScopeAndTheRealmsOptionalScopes() {
        assertEquals(List.of("mcp:tools", "offline_access", "address", "phone"), ClientScopeGrant.optionalScopes(MCP, REALM_OPTIONAL, REALM_DEFAULT));
        assertEquals(REALM_DEFAULT, ClientScopeGrant.defaultScopes(REALM_DEFAULT));
    }

    @Test
    void anMcpScopeThatIsRealmOptionalIsGrantedOnce() {
        assertEquals(List.of("mcp:tools", "offline_access"),
                ClientScopeGrant.optionalScopes(MCP, List.of("offline_access", "mcp:tools"), REALM_DEFAULT));
    }

    @Test
    void withoutMcpScopesTheClientGetsWhatAnyNewClientGets() {
        assertEquals(REALM_OPTIONAL, ClientScopeGrant.optionalScopes(List.of(), REALM_OPTIONAL, REALM_DEFAULT));
    }

    /** A realm that made offline_access a default scope: an MCP client still gets it only when it asks. */
    @Test
    void offlineAccessIsAlwaysOptional() {
        List<String> realmDefault = List.of("profile", "offline_access");
        assertEquals(List.of("profile"), ClientScopeGrant.defaultScopes(realmDefault));
        assertEquals(List.of("mcp:tools", "address", "offline_access"), ClientScopeGrant.optionalScopes(MCP, List.of("address"), realmDefault));
    }
}
