package dev.keycloakmcp.enterprise;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.crypto.KeyType;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.keys.loader.PublicKeyStorageManager;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.keycloakmcp.core.Refusal;

/**
 * Checks an ID-JAG's signature with the enterprise IdP's keys, as Keycloak checks its identity providers' tokens: the
 * key by {@code kid} from the IdP's JWKS (or its configured public key), fetched and cached by Keycloak's public-key
 * storage, and verified by Keycloak's signature provider for the algorithm. The algorithm must be on the IdP's list
 * and fit the key's type, so a MAC computed with a public key ({@code HS256} "signed" with the RSA key) or
 * {@code none} never passes.
 */
final class AssertionSignature {

    /**
     * {@code PublicKeyStorageManager.getIdentityProviderKeyWrapper(session, realm, <config>, JWSInput)}: its config
     * parameter is {@code OIDCIdentityProviderConfig} up to 26.4 and the interface that class implements from 26.5, so
     * the pack finds it by shape to run on every line with one jar.
     */
    private static final Method KEY_LOOKUP = keyLookup();

    private AssertionSignature() {
    }

    static void verify(KeycloakSession session, RealmModel realm, OIDCIdentityProviderConfig idp, List<String> algorithms, JWSInput jws) throws Refusal {
        String alg = jws.getHeader().getRawAlgorithm();
        if (alg == null || !algorithms.contains(alg)) {
            throw Refusal.invalidGrant("The assertion's alg must be one of " + String.join(", ", algorithms));
        }
        KeyWrapper key = key(session, realm, idp, jws);
        if (key == null || !fits(alg, key.getType())) {
            throw Refusal.invalidGrant("No key of the identity provider verifies the assertion");
        }
        SignatureProvider signatures = session.getProvider(SignatureProvider.class, alg);
        boolean valid;
        try {
            valid = signatures != null && signatures.verifier(key).verify(jws.getEncodedSignatureInput().getBytes(StandardCharsets.UTF_8), jws.getSignature());
        } catch (Exception broken) {
            valid = false;
        }
        if (!valid) {
            throw Refusal.invalidGrant("The assertion's signature is not valid");
        }
    }

    /** Whether a key of this type signs with {@code alg}. */
    static boolean fits(String alg, String keyType) {
        if (alg.startsWith("RS") || alg.startsWith("PS")) {
            return KeyType.RSA.equals(keyType);
        }
        if (alg.startsWith("ES")) {
            return KeyType.EC.equals(keyType);
        }
        return "EdDSA".equals(alg) && KeyType.OKP.equals(keyType);
    }

    private static KeyWrapper key(KeycloakSession session, RealmModel realm, OIDCIdentityProviderConfig idp, JWSInput jws) throws Refusal {
        try {
            return (KeyWrapper) KEY_LOOKUP.invoke(null, session, realm, idp, jws);
        } catch (InvocationTargetException unreachable) {
            // The IdP's JWKS cannot be fetched or read: Keycloak logs why; the client learns only that it cannot be checked.
            throw Refusal.invalidGrant("The identity provider's keys are not available to verify the assertion");
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Method keyLookup() {
        for (Method method : PublicKeyStorageManager.class.getMethods()) {
            Class<?>[] parameters = method.getParameterTypes();
            if (method.getName().equals("getIdentityProviderKeyWrapper") && parameters.length == 4
                    && parameters[2].isAssignableFrom(OIDCIdentityProviderConfig.class) && parameters[3] == JWSInput.class) {
                return method;
            }
        }
        throw new IllegalStateException("This Keycloak has no PublicKeyStorageManager.getIdentityProviderKeyWrapper(session, realm, config, JWSInput)");
    }
}
