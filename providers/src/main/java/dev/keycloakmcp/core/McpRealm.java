package dev.keycloakmcp.core;

import java.util.stream.Stream;

import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;

/**
 * Whether a realm is an MCP realm, and its MCP scopes, read from realm and scope attributes.
 * An admin turns them on and off in the console, and every node of a cluster sees the same answer.
 */
public final class McpRealm {

    /** Realm attribute that switches the MCP behaviour (metadata, registration) on for a realm. */
    public static final String ENABLED_ATTRIBUTE = "mcp.enabled";

    /** Client-scope attribute that marks a scope as an MCP scope (advertised, granted to MCP clients). */
    public static final String SCOPE_ATTRIBUTE = "mcp.scope";

    private McpRealm() {
    }

    public static boolean isEnabled(RealmModel realm) {
        return realm != null && Boolean.parseBoolean(realm.getAttribute(ENABLED_ATTRIBUTE));
    }

    /** Whether the realm accepts Client ID Metadata Documents: it has the anonymous document policy. */
    public static boolean acceptsMetadataDocuments(RealmModel realm) {
        return AnonymousPolicy.of(realm, McpRealmSetup.DOCUMENT_POLICY).isPresent();
    }

    public static boolean isMcpScope(ClientScopeModel scope) {
        return OIDCLoginProtocol.LOGIN_PROTOCOL.equals(scope.getProtocol())
                && Boolean.parseBoolean(scope.getAttribute(SCOPE_ATTRIBUTE));
    }

    public static Stream<ClientScopeModel> mcpScopes(RealmModel realm) {
        return realm.getClientScopesStream().filter(McpRealm::isMcpScope);
    }
}
