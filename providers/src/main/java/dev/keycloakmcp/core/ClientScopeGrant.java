package dev.keycloakmcp.core;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.keycloak.OAuth2Constants;

/**
 * The client scopes a self-registered MCP client gets: the realm's, as every new client, plus every MCP scope.
 * MCP scopes are optional (asked for at authorization time, shown on the consent page). The registration's
 * {@code scope} adds nothing: MCP clients send whatever the server's challenge named, often with {@code openid}
 * (which stock Keycloak refuses) or {@code offline_access}, and an anonymous caller must not pick scopes the admin
 * did not offer. Keeping the realm's optional scopes spares Keycloak removing, per registration, what it just gave.
 */
final class ClientScopeGrant {

    private ClientScopeGrant() {
    }

    /**
     * The realm's default client scopes, but {@code offline_access}: as a default it would make every token of the client
     * an offline one, asked for or not, and fail the code exchange for users without the role (Keycloak decides from the
     * client's scopes, so the fallback for those users can only leave out a scope the request named).
     */
    static List<String> defaultScopes(Collection<String> realmDefaultScopes) {
        return realmDefaultScopes.stream().filter(scope -> !OAuth2Constants.OFFLINE_ACCESS.equals(scope)).toList();
    }

    /** Every MCP scope, the realm's optional scopes, and {@code offline_access} where the realm made it a default. */
    static List<String> optionalScopes(Collection<String> mcpScopes, Collection<String> realmOptionalScopes,
            Collection<String> realmDefaultScopes) {
        Set<String> granted = new LinkedHashSet<>(mcpScopes);
        granted.addAll(realmOptionalScopes);
        if (realmDefaultScopes.contains(OAuth2Constants.OFFLINE_ACCESS)) {
            granted.add(OAuth2Constants.OFFLINE_ACCESS);
        }
        return List.copyOf(granted);
    }
}
