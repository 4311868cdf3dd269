package dev.keycloakmcp.device;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OAuth2DeviceCodeModel;
import org.keycloak.models.OAuth2DeviceUserCodeModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.grants.device.DeviceGrantType;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The MCP server a device code was requested for. Keycloak parses {@code resource} at the device endpoint but does not
 * keep it with the code; the pack keeps it as one of the code's additional request parameters ({@link #PARAMETER}),
 * which Keycloak stores with the code and hands back at the token endpoint. Read with Keycloak's storage models
 * (the same on 26.2 to 26.7), not its endpoint helpers, which moved between lines.
 */
public final class DeviceCodeResource {

    /** The additional parameter under which the device code keeps its MCP server; never taken from the client. */
    static final String PARAMETER = "mcp_resource";

    private DeviceCodeResource() {
    }

    /** Keeps {@code resource} with the device code about to be created, and nothing a client sent under that name. */
    static void keep(Map<String, String> additionalParameters, Optional<String> resource) {
        additionalParameters.remove(PARAMETER);
        resource.ifPresent(value -> additionalParameters.put(PARAMETER, value));
    }

    /** The MCP server of a device code (none: the client named none). */
    static List<String> of(OAuth2DeviceCodeModel deviceCode) {
        Map<String, String> parameters = deviceCode.getAdditionalParams();
        String resource = parameters == null ? null : parameters.get(PARAMETER);
        return resource == null || resource.isBlank() ? List.of() : List.of(resource);
    }

    /** The stored device code of this client, without touching it (Keycloak's grant reads and removes it next). */
    static Optional<OAuth2DeviceCodeModel> find(KeycloakSession session, RealmModel realm, ClientModel client, String deviceCode) {
        if (deviceCode == null || deviceCode.isBlank()) {
            return Optional.empty();
        }
        Map<String, String> stored = session.singleUseObjects().get(OAuth2DeviceCodeModel.createKey(deviceCode));
        if (stored == null) {
            return Optional.empty();
        }
        OAuth2DeviceCodeModel model = OAuth2DeviceCodeModel.fromCache(realm, deviceCode, stored);
        return client.getClientId().equals(model.getClientId()) ? Optional.of(model) : Optional.empty();
    }

    /**
     * The MCP server of the device code a person is approving on the verification page: Keycloak's authentication
     * session of the device flow carries only the user code, which leads to the device code.
     */
    public static Optional<String> ofVerification(KeycloakSession session, AuthenticationSessionModel authSession) {
        String userCode = authSession.getClientNote(DeviceGrantType.OAUTH2_DEVICE_VERIFIED_USER_CODE);
        if (userCode == null) {
            return Optional.empty();
        }
        RealmModel realm = authSession.getRealm();
        Map<String, String> user = session.singleUseObjects().get(OAuth2DeviceUserCodeModel.createKey(realm, userCode));
        if (user == null) {
            return Optional.empty();
        }
        String deviceCode = OAuth2DeviceUserCodeModel.fromCache(realm, userCode, user).getDeviceCode();
        return find(session, realm, authSession.getClient(), deviceCode).flatMap(code -> of(code).stream().findFirst());
    }
}
