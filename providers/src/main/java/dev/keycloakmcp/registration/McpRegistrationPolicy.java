package dev.keycloakmcp.registration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.services.clientregistration.ClientRegistrationContext;
import org.keycloak.services.clientregistration.ClientRegistrationProvider;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicyException;

import dev.keycloakmcp.model.McpClientKind;
import dev.keycloakmcp.model.McpRealm;

/**
 * Anonymous registration policy of an MCP realm: it opens anonymous registration to the MCP endpoint only (the
 * stock endpoint stays closed), and turns every client registered there into a safe MCP client: public, PKCE
 * S256 required, consent required, the realm's MCP scopes, marked as a dynamically registered MCP client.
 */
public class McpRegistrationPolicy implements ClientRegistrationPolicy {

    static final String PKCE_METHOD_ATTRIBUTE = "pkce.code.challenge.method";
    static final String PUBLIC_CLIENT_AUTHENTICATOR = "none";

    private final KeycloakSession session;
    private final ComponentModel model;

    McpRegistrationPolicy(KeycloakSession session, ComponentModel model) {
        this.session = session;
        this.model = model;
    }

    @Override
    public void beforeRegister(ClientRegistrationContext context) throws ClientRegistrationPolicyException {
        requireMcpEndpoint(context.getProvider());
        shapeAsMcpClient(context.getClient());
    }

    @Override
    public void afterRegister(ClientRegistrationContext context, ClientModel clientModel) {
    }

    @Override
    public void beforeUpdate(ClientRegistrationContext context, ClientModel clientModel) throws ClientRegistrationPolicyException {
        requireMcpEndpoint(context.getProvider());
        shapeAsMcpClient(context.getClient());
    }

    @Override
    public void afterUpdate(ClientRegistrationContext context, ClientModel clientModel) {
    }

    @Override
    public void beforeView(ClientRegistrationProvider provider, ClientModel clientModel) {
    }

    @Override
    public void beforeDelete(ClientRegistrationProvider provider, ClientModel clientModel) {
    }

    @Override
    public Collection<String> getAllowedOrigins() {
        List<String> origins = model.getConfig().get(McpRegistrationPolicyFactory.WEB_ORIGINS);
        return origins == null ? List.of() : origins;
    }

    private static void requireMcpEndpoint(ClientRegistrationProvider provider) throws ClientRegistrationPolicyException {
        if (!(provider instanceof McpClientRegistrationProvider)) {
            throw new ClientRegistrationPolicyException("Anonymous registration is only open to MCP clients, at the MCP registration endpoint");
        }
    }

    private void shapeAsMcpClient(ClientRepresentation client) {
        RealmModel realm = session.getContext().getRealm();
        client.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        client.setPublicClient(true);
        // Keycloak's marker for "token_endpoint_auth_method": "none" (PKCE is the proof of possession).
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

    @Override
    public void close() {
    }
}
