package dev.keycloakmcp.machine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.services.managers.ClientManager;
import org.keycloak.services.managers.RealmManager;
import org.keycloak.util.JsonSerialization;

import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.McpRealm;
import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.core.ResourceServers;

/**
 * Creates MCP machine clients the one correct way, and shows them. Everything the request names is checked against
 * the realm before the client is made, so a refused request leaves nothing behind.
 */
public final class MachineClients {

    /** Keycloak's client authenticators: {@code private_key_jwt} and {@code client_secret_basic}/{@code _post}. */
    static final String JWT_AUTHENTICATOR = "client-jwt";
    static final String SECRET_AUTHENTICATOR = "client-secret";

    private MachineClients() {
    }

    /** A created client: its Keycloak id, and its secret for {@code client_secret_basic} (shown this once). */
    public record Created(ClientModel client, String secret) {
    }

    public static Created create(KeycloakSession session, RealmModel realm, MachineClientRequest request) throws Refusal {
        if (!McpRealm.isEnabled(realm)) {
            throw Refusal.invalidRequest("MCP is not enabled in this realm (realm attribute " + McpRealm.ENABLED_ATTRIBUTE + ")");
        }
        if (realm.getClientByClientId(request.clientId()) != null) {
            throw Refusal.invalidRequest("A client with clientId '" + request.clientId() + "' exists already");
        }
        Set<String> mcpScopes = McpRealm.mcpScopes(realm).map(ClientScopeModel::getName).collect(Collectors.toSet());
        for (String scope : request.scopes()) {
            if (!mcpScopes.contains(scope)) {
                throw Refusal.invalidRequest("scopes: '" + scope + "' is not an MCP scope of this realm (" + String.join(", ", mcpScopes.stream().sorted().toList()) + ")");
            }
        }
        List<String> resources = new ArrayList<>();
        for (String resource : request.resources()) {
            ClientModel server = ResourceServers.find(realm, resource).orElseThrow(() ->
                    Refusal.invalidRequest("resources: '" + resource + "' is not an MCP server registered in this realm"));
            resources.add(ResourceServers.resourceOf(server));
        }

        ClientModel client = ClientManager.createClient(session, realm, representation(realm, request, resources));
        new ClientManager(new RealmManager(session)).enableServiceAccount(client);
        String secret = request.authMethod() == MachineClientRequest.AuthMethod.CLIENT_SECRET_BASIC ? KeycloakModelUtils.generateSecret(client) : null;
        return new Created(client, secret);
    }

    static ClientRepresentation representation(RealmModel realm, MachineClientRequest request, List<String> resources) {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(request.clientId());
        client.setName(request.name());
        client.setDescription(request.description() != null ? request.description()
                : "MCP machine client (client credentials, no user) for " + String.join(", ", resources));
        client.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        client.setEnabled(true);
        client.setPublicClient(false);
        client.setBearerOnly(false);
        client.setConsentRequired(false);
        // Tokens for itself only: no browser sign-in, no user's password, no device flow.
        client.setStandardFlowEnabled(false);
        client.setImplicitFlowEnabled(false);
        client.setDirectAccessGrantsEnabled(false);
        client.setServiceAccountsEnabled(true);
        client.setAuthorizationServicesEnabled(false);
        client.setFrontchannelLogout(false);
        client.setRedirectUris(List.of());
        client.setWebOrigins(List.of());

        Map<String, String> attributes = new HashMap<>();
        attributes.put(McpClientKind.ATTRIBUTE, McpClientKind.MACHINE.value());
        attributes.put(MachineClient.RESOURCES_ATTRIBUTE, MachineClient.format(resources));
        // Keycloak's default, written down: a machine client asks again instead of holding a refresh token.
        attributes.put("client_credentials.use_refresh_token", "false");
        if (request.authMethod() == MachineClientRequest.AuthMethod.PRIVATE_KEY_JWT) {
            client.setClientAuthenticatorType(JWT_AUTHENTICATOR);
            if (request.jwks() != null) {
                attributes.put("use.jwks.string", "true");
                attributes.put("jwks.string", json(request.jwks()));
            } else {
                attributes.put("use.jwks.url", "true");
                attributes.put("jwks.url", request.jwksUri());
            }
            if (request.signingAlg() != null) {
                attributes.put("token.endpoint.auth.signing.alg", request.signingAlg());
            }
        } else {
            client.setClientAuthenticatorType(SECRET_AUTHENTICATOR);
        }
        client.setAttributes(attributes);
        // The scope ceiling: the realm's default scopes (mcp-audience among them) and the MCP scopes asked for, which a
        // token gets only when requested; Keycloak answers invalid_scope for any other.
        client.setDefaultClientScopes(realm.getDefaultClientScopesStream(true)
                .filter(scope -> OIDCLoginProtocol.LOGIN_PROTOCOL.equals(scope.getProtocol()))
                .map(ClientScopeModel::getName).filter(name -> !request.scopes().contains(name)).collect(Collectors.toCollection(ArrayList::new)));
        client.setOptionalClientScopes(new ArrayList<>(request.scopes()));
        return client;
    }

    /** A machine client as the admin API shows it (never its secret). */
    public static Map<String, Object> view(RealmModel realm, ClientModel client) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", client.getId());
        view.put("clientId", client.getClientId());
        view.put("name", client.getName());
        view.put("enabled", client.isEnabled());
        view.put("authMethod", JWT_AUTHENTICATOR.equals(client.getClientAuthenticatorType())
                ? MachineClientRequest.AuthMethod.PRIVATE_KEY_JWT.value() : MachineClientRequest.AuthMethod.CLIENT_SECRET_BASIC.value());
        view.put("resources", MachineClient.allowedResources(client));
        view.put("scopes", client.getClientScopes(false).keySet().stream().sorted().toList());
        view.put("clientCredentialsEnabled", McpRealmSettings.of(realm).clientCredentials());
        return view;
    }

    private static String json(Map<String, Object> value) {
        try {
            return JsonSerialization.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
