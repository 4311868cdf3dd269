package dev.keycloakmcp.registration;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which optional client scopes a self-registered MCP client gets: the realm's optional client scopes, as every new
 * client of the realm gets them, and every MCP scope of the realm (asked for at authorization time, shown on the
 * consent page). The registration's {@code scope} adds nothing: MCP clients send whatever the MCP server's challenge
 * named, often with {@code openid} or {@code offline_access} (stock Keycloak refuses {@code openid}), and an
 * anonymous caller must not pick scopes the admin did not offer. Keeping the realm's optional scopes also spares
 * Keycloak removing, per registration, the scopes it has just given the new client.
 */
public final class ClientScopeGrant {

    private ClientScopeGrant() {
    }

    public static List<String> optionalScopes(Collection<String> mcpScopes, Collection<String> realmOptionalScopes) {
        Set<String> granted = new LinkedHashSet<>(mcpScopes);
        granted.addAll(realmOptionalScopes);
        return List.copyOf(granted);
    }
}
