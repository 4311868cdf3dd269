package dev.keycloakmcp.registration;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which client scopes a self-registered MCP client gets. MCP clients send {@code scope} with whatever the MCP
 * server's challenge named, often with {@code openid} or {@code offline_access}; stock Keycloak refuses the
 * registration for {@code openid}. The rule: every MCP scope of the realm becomes an optional scope of the client
 * (asked for at authorization time, shown on the consent page); other requested names are kept only when they
 * are optional scopes the realm offers to every client; {@code openid} and unknown names are dropped.
 */
public final class ClientScopeGrant {

    static final String OPENID = "openid";

    private ClientScopeGrant() {
    }

    public static List<String> optionalScopes(Collection<String> requested, Collection<String> mcpScopes,
            Collection<String> realmOptionalScopes) {
        Set<String> granted = new LinkedHashSet<>(mcpScopes);
        if (requested != null) {
            requested.stream()
                    .filter(name -> !OPENID.equals(name))
                    .filter(realmOptionalScopes::contains)
                    .forEach(granted::add);
        }
        return List.copyOf(granted);
    }
}
