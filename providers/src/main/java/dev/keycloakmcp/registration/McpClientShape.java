package dev.keycloakmcp.registration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.representations.idm.ClientRepresentation;

import dev.keycloakmcp.model.McpClientKind;
import dev.keycloakmcp.model.McpRealm;

/**
 * What every client registered at the MCP endpoint is, whoever registered it (anonymously or with an initial
 * access token) and however often it updates itself: public (PKCE is its proof), PKCE S256, consent required,
 * code flow only, the realm's MCP scopes, and marked as a dynamically registered MCP client so that the realm's
 * {@code mcp-client} client policy applies to it.
 */
public final class McpClientShape {

    static final String PKCE_METHOD_ATTRIBUTE = "pkce.code.challenge.method";
    /** Keycloak's client authenticator for {@code "token_endpoint_auth_method": "none"}. */
    static final String PUBLIC_CLIENT_AUTHENTICATOR = "none";

    private McpClientShape() {
    }

    public static void apply(RealmModel realm, ClientRepresentation client) {
        client.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        client.setPublicClient(true);
        client.setClientAuthenticatorType(PUBLIC_CLIENT_AUTHENTICATOR);
        client.setSecret(null);
        client.setBearerOnly(false);
        client.setConsentRequired(true);
        client.setStandardFlowEnabled(true);
        client.setImplicitFlowEnabled(false);
        client.setDirectAccessGrantsEnabled(false);
        client.setServiceAccountsEnabled(false);
        client.setAuthorizationServicesEnabled(false);
        client.setFrontchannelLogout(false);
        // "+" lets a browser-based MCP client (MCP Inspector) call the token endpoint from its redirect URI's origin.
        client.setWebOrigins(List.of("+"));

        Map<String, String> attributes = client.getAttributes() == null ? new HashMap<>() : new HashMap<>(client.getAttributes());
        attributes.put(PKCE_METHOD_ATTRIBUTE, "S256");
        attributes.put(McpClientKind.ATTRIBUTE, McpClientKind.DYNAMIC.value());
        client.setAttributes(attributes);

        client.setDefaultClientScopes(realm.getDefaultClientScopesStream(true)
                .filter(scope -> OIDCLoginProtocol.LOGIN_PROTOCOL.equals(scope.getProtocol()))
                .map(ClientScopeModel::getName).toList());
        client.setOptionalClientScopes(new ArrayList<>(ClientScopeGrant.optionalScopes(
                client.getOptionalClientScopes(),
                McpRealm.mcpScopes(realm).map(ClientScopeModel::getName).toList(),
                realm.getDefaultClientScopesStream(false).map(ClientScopeModel::getName).toList())));
    }
}
