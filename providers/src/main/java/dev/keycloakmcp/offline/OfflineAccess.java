package dev.keycloakmcp.offline;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.keycloak.OAuth2Constants;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.util.TokenUtil;

/**
 * Keycloak's rule for {@code offline_access}, asked before the consent page instead of at the code exchange.
 * A refresh token that outlives the browser session (an offline session) needs the {@code offline_access} realm role
 * among the roles the token may carry: the user holds it (directly, by group or by a composite such as the realm's
 * default roles) and the client's scope allows it (full scope, or the {@code offline_access} client scope's role mapping).
 */
public final class OfflineAccess {

    private OfflineAccess() {
    }

    public static boolean isRequested(String scope) {
        return TokenUtil.isOfflineTokenRequested(scope);
    }

    /** The same role check Keycloak makes when it creates the offline session, over the scopes this request asks for. */
    public static boolean isGrantable(KeycloakSession session, UserModel user, ClientModel client, String scope) {
        RoleModel role = client.getRealm().getRole(Constants.OFFLINE_ACCESS_ROLE);
        return role != null && TokenManager.getAccess(user, client, TokenManager.getRequestedClientScopes(session, scope, client, user)).contains(role);
    }

    /** The requested scope without {@code offline_access}, split and joined as Keycloak does (spaces). */
    public static String withoutOfflineAccess(String scope) {
        return Arrays.stream(scope.split(" ")).filter(value -> !value.isEmpty() && !OAuth2Constants.OFFLINE_ACCESS.equals(value))
                .collect(Collectors.joining(" "));
    }

    /**
     * Whether MCP clients may ask for {@code offline_access} in this realm: the realm gives new clients the OpenID
     * {@code offline_access} client scope (registered and metadata-document clients take the realm's client scopes) and
     * has the role. Users without the role still get a token, with an ordinary refresh token ({@link OfflineAccessFallback}).
     */
    public static boolean isOffered(RealmModel realm) {
        if (realm.getRole(Constants.OFFLINE_ACCESS_ROLE) == null) {
            return false;
        }
        return Stream.concat(realm.getDefaultClientScopesStream(false), realm.getDefaultClientScopesStream(true))
                .anyMatch(OfflineAccess::isOfflineAccessScope);
    }

    private static boolean isOfflineAccessScope(ClientScopeModel scope) {
        return OAuth2Constants.OFFLINE_ACCESS.equals(scope.getName()) && OIDCLoginProtocol.LOGIN_PROTOCOL.equals(scope.getProtocol());
    }
}
