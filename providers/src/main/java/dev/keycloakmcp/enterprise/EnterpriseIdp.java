package dev.keycloakmcp.enterprise;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.keycloakmcp.core.Refusal;

/**
 * How the realm trusts one of its identity providers as an enterprise IdP that issues ID-JAGs. The IdP itself is a
 * Keycloak OpenID Connect identity provider: its issuer and keys (JWKS URL or public key) are Keycloak's settings,
 * fetched and cached by Keycloak; these are what the pack adds.
 *
 * @param alias              the identity provider's alias
 * @param algorithms         the signature algorithms accepted, asymmetric only (never {@code none}, never a MAC, which
 *                           anyone holding the public key could forge)
 * @param emailFallback      whether an assertion whose subject is linked to no user may name one by a verified email
 * @param publicClients      whether clients without credentials may present its assertions (the profile expects the
 *                           client to authenticate; a public client's assertion is only as safe as the IdP's binding of
 *                           it to that client_id)
 * @param maxLifetimeSeconds the longest {@code exp - iat} accepted
 */
record EnterpriseIdp(String alias, List<String> algorithms, boolean emailFallback, boolean publicClients, int maxLifetimeSeconds) {

    static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "ES256");
    static final int DEFAULT_MAX_LIFETIME = 300;
    static final int MIN_LIFETIME = 10;
    static final int MAX_LIFETIME = 3600;
    /** JWS algorithms verified with a public key (RFC 7518 §3.1, RFC 8037). */
    static final Set<String> ASYMMETRIC = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");
    static final Set<String> MEMBERS = Set.of("algorithms", "emailFallback", "publicClients", "maxLifetimeSeconds");

    /** The settings in an admin's request body (a parsed JSON object); absent members take the safe defaults. */
    static EnterpriseIdp read(String alias, Map<String, Object> body) throws Refusal {
        for (String member : body.keySet()) {
            if (!MEMBERS.contains(member)) {
                throw Refusal.invalidRequest("Unknown member '" + member + "'; the members are " + String.join(", ", MEMBERS.stream().sorted().toList()));
            }
        }
        List<String> algorithms = DEFAULT_ALGORITHMS;
        if (body.containsKey("algorithms")) {
            if (!(body.get("algorithms") instanceof List<?> listed) || listed.isEmpty()) {
                throw Refusal.invalidRequest("algorithms must be a non-empty array of JWS algorithms");
            }
            List<String> checked = new ArrayList<>();
            for (Object alg : listed) {
                if (!(alg instanceof String name) || !ASYMMETRIC.contains(name)) {
                    throw Refusal.invalidRequest("algorithms may list only asymmetric JWS algorithms (" + String.join(", ", ASYMMETRIC.stream().sorted().toList())
                            + "), not " + alg);
                }
                if (!checked.contains(name)) {
                    checked.add(name);
                }
            }
            algorithms = List.copyOf(checked);
        }
        int maxLifetime = DEFAULT_MAX_LIFETIME;
        if (body.containsKey("maxLifetimeSeconds")) {
            if (!(body.get("maxLifetimeSeconds") instanceof Integer seconds) || seconds < MIN_LIFETIME || seconds > MAX_LIFETIME) {
                throw Refusal.invalidRequest("maxLifetimeSeconds must be a whole number from " + MIN_LIFETIME + " to " + MAX_LIFETIME);
            }
            maxLifetime = seconds;
        }
        return new EnterpriseIdp(alias, algorithms, flag(body, "emailFallback"), flag(body, "publicClients"), maxLifetime);
    }

    /** The stored form, without the alias (the key it is stored under). */
    Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("algorithms", algorithms);
        settings.put("emailFallback", emailFallback);
        settings.put("publicClients", publicClients);
        settings.put("maxLifetimeSeconds", maxLifetimeSeconds);
        return settings;
    }

    private static boolean flag(Map<String, Object> body, String member) throws Refusal {
        Object value = body.get(member);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        throw Refusal.invalidRequest(member + " must be true or false");
    }
}
