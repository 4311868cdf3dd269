package dev.keycloakmcp.device;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.SecretKey;

import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OAuth2DeviceCodeModel;
import org.keycloak.models.OAuth2DeviceUserCodeModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.grants.device.DeviceGrantType;
import org.keycloak.sessions.AuthenticationSessionModel;

import dev.keycloakmcp.core.Refusal;

/**
 * The MCP server a device code was requested for. Keycloak parses {@code resource} at the device endpoint but does not
 * keep it with the code; the pack keeps it as one of the code's additional request parameters ({@link #PARAMETER}),
 * which Keycloak stores with the code and hands back at the token endpoint. Keycloak also copies any parameter a client
 * sends itself into those, so the pack seals what it keeps ({@link #SEAL}: an HMAC with the realm's HMAC key over the
 * client and the server) and the token endpoint takes only a sealed one: a code the pack's device-endpoint check did
 * not see (the client policy disabled, a node without the pack) gets no token. Read with Keycloak's storage models
 * (the same on 26.2 to 26.7), not its endpoint helpers, which moved between lines.
 */
public final class DeviceCodeResource {

    /** The additional parameter under which the device code keeps its MCP server; never taken from the client. */
    static final String PARAMETER = "mcp_resource";
    /** The additional parameter with the seal of {@link #PARAMETER} (or of no server); never taken from the client. */
    static final String SEAL = "mcp_resource_seal";

    private DeviceCodeResource() {
    }

    /** Keeps {@code resource} with the device code about to be created, sealed, and nothing a client sent under these names. */
    static void keep(KeycloakSession session, RealmModel realm, String clientId, Map<String, String> additionalParameters,
            Optional<String> resource) {
        additionalParameters.remove(PARAMETER);
        additionalParameters.remove(SEAL);
        resource.ifPresent(value -> additionalParameters.put(PARAMETER, value));
        seal(session, realm, clientId, resource.orElse("")).ifPresent(seal -> additionalParameters.put(SEAL, seal));
    }

    /** The MCP server of a device code (none: the client named none), if the pack sealed it. */
    static Optional<List<String>> sealed(KeycloakSession session, RealmModel realm, OAuth2DeviceCodeModel deviceCode) {
        Map<String, String> parameters = deviceCode.getAdditionalParams();
        String resource = parameters == null ? null : parameters.getOrDefault(PARAMETER, "");
        String seal = parameters == null ? null : parameters.get(SEAL);
        Optional<String> expected = seal(session, realm, deviceCode.getClientId(), resource == null ? "" : resource);
        if (seal == null || expected.isEmpty()
                || !MessageDigest.isEqual(seal.getBytes(StandardCharsets.US_ASCII), expected.get().getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return Optional.of(resource.isBlank() ? List.of() : List.of(resource));
    }

    /** {@link #sealed}, or the refusal of a code the pack's device-endpoint check did not see. */
    static List<String> of(KeycloakSession session, RealmModel realm, OAuth2DeviceCodeModel deviceCode) throws Refusal {
        return sealed(session, realm, deviceCode).orElseThrow(() -> Refusal.invalidGrant(
                "This device code was not checked by the realm's MCP device-grant policy: request a new one"));
    }

    private static Optional<String> seal(KeycloakSession session, RealmModel realm, String clientId, String resource) {
        KeyWrapper key = session.keys().getActiveKey(realm, KeyUse.SIG, Algorithm.HS512);
        SecretKey secret = key == null ? null : key.getSecretKey();
        if (secret == null) {
            return Optional.empty();
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            byte[] sealed = mac.doFinal((PARAMETER + "\n" + clientId + "\n" + resource).getBytes(StandardCharsets.UTF_8));
            return Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
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
        return find(session, realm, authSession.getClient(), deviceCode).flatMap(code -> sealed(session, realm, code))
                .flatMap(resources -> resources.stream().findFirst());
    }
}
