package dev.keycloakmcp.machine;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.keycloakmcp.core.LoopbackHost;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.core.ResourceIndicator;

/**
 * What an admin asks for when creating an MCP machine client (the body of {@code POST .../mcp/machine-clients}), each
 * member checked before anything is created; every break is an {@code invalid_request} naming the member.
 *
 * @param clientId   the client_id: letters, digits and {@code . _ - :}, not a URL (URL ids are MCP servers' and
 *                   metadata documents')
 * @param authMethod {@code private_key_jwt} (keys from {@code jwks} or {@code jwksUri}) or {@code client_secret_basic}
 * @param signingAlg the one assertion algorithm accepted, if pinned (asymmetric only)
 * @param scopes     the scope ceiling: the MCP scopes the client may ask for
 * @param resources  the MCP servers it may call, canonical URLs
 */
public record MachineClientRequest(String clientId, String name, String description, AuthMethod authMethod, Map<String, Object> jwks,
        String jwksUri, String signingAlg, List<String> scopes, List<String> resources) {

    public enum AuthMethod {
        PRIVATE_KEY_JWT("private_key_jwt"),
        CLIENT_SECRET_BASIC("client_secret_basic");

        private final String value;

        AuthMethod(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    static final Set<String> MEMBERS = Set.of("clientId", "name", "description", "authMethod", "jwks", "jwksUri", "signingAlg",
            "scopes", "resources");
    static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    /** The assertion algorithms Keycloak verifies with a client's public keys. */
    static final Set<String> ASYMMETRIC_ALGS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384",
            "ES512", "EdDSA");
    static final Set<String> KEY_TYPES = Set.of("RSA", "EC", "OKP");
    /** JWK members that only a private or symmetric key has (RFC 7518 §6). */
    static final Set<String> PRIVATE_KEY_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    /** The request in {@code body}, a parsed JSON object. */
    @SuppressWarnings("unchecked")
    public static MachineClientRequest read(Map<String, Object> body) throws Refusal {
        for (String member : body.keySet()) {
            if (!MEMBERS.contains(member)) {
                throw Refusal.invalidRequest("Unknown member '" + member + "'; the members are " + String.join(", ", MEMBERS.stream().sorted().toList()));
            }
        }
        String clientId = text(body, "clientId").orElseThrow(() -> Refusal.invalidRequest("clientId is required"));
        if (!CLIENT_ID.matcher(clientId).matches()) {
            throw Refusal.invalidRequest("clientId must be 1 to 100 letters, digits, '.', '_', '-' or ':' starting with a letter or digit");
        }
        String method = text(body, "authMethod").orElseThrow(() -> Refusal.invalidRequest("authMethod is required: private_key_jwt or client_secret_basic"));
        AuthMethod authMethod = null;
        for (AuthMethod candidate : AuthMethod.values()) {
            if (candidate.value.equals(method)) {
                authMethod = candidate;
            }
        }
        if (authMethod == null) {
            throw Refusal.invalidRequest("authMethod must be private_key_jwt or client_secret_basic");
        }
        Object jwksValue = body.get("jwks");
        if (jwksValue != null && !(jwksValue instanceof Map)) {
            throw Refusal.invalidRequest("jwks must be a JSON Web Key Set object, {\"keys\": [...]}");
        }
        Map<String, Object> jwks = (Map<String, Object>) jwksValue;
        Optional<String> jwksUri = text(body, "jwksUri");
        Optional<String> signingAlg = text(body, "signingAlg");
        if (authMethod == AuthMethod.PRIVATE_KEY_JWT) {
            if ((jwks == null) == jwksUri.isEmpty()) {
                throw Refusal.invalidRequest("private_key_jwt needs the client's public keys: exactly one of jwks and jwksUri");
            }
            if (jwks != null) {
                jwks = signingKeys(jwks);
            }
            if (jwksUri.isPresent()) {
                requireKeysUrl(jwksUri.get());
            }
            if (signingAlg.isPresent() && !ASYMMETRIC_ALGS.contains(signingAlg.get())) {
                throw Refusal.invalidRequest("signingAlg must be an asymmetric algorithm (" + String.join(", ", ASYMMETRIC_ALGS.stream().sorted().toList())
                        + "): HS* and none are not accepted");
            }
        } else if (jwks != null || jwksUri.isPresent() || signingAlg.isPresent()) {
            throw Refusal.invalidRequest("jwks, jwksUri and signingAlg are for private_key_jwt only");
        }
        List<String> scopes = texts(body, "scopes");
        List<String> resources = new ArrayList<>();
        for (String resource : texts(body, "resources")) {
            String canonical = ResourceIndicator.canonical(resource).orElseThrow(() ->
                    Refusal.invalidRequest("resources: '" + resource + "' is not an absolute http(s) URL without fragment"));
            if (!resources.contains(canonical)) {
                resources.add(canonical);
            }
        }
        return new MachineClientRequest(clientId, text(body, "name").orElse(null), text(body, "description").orElse(null), authMethod,
                jwks, jwksUri.orElse(null), signingAlg.orElse(null), scopes, List.copyOf(resources));
    }

    /**
     * The set as Keycloak reads it for verifying assertions: every key marked {@code "use": "sig"} (Keycloak ignores
     * keys of a client's JWKS without {@code use}). Only public RSA, EC or OKP keys are accepted.
     */
    static Map<String, Object> signingKeys(Map<String, Object> jwks) throws Refusal {
        requirePublicKeys(jwks);
        List<Object> keys = new ArrayList<>();
        for (Object key : (List<?>) jwks.get("keys")) {
            Map<String, Object> jwk = new LinkedHashMap<>();
            ((Map<?, ?>) key).forEach((name, value) -> jwk.put(String.valueOf(name), value));
            jwk.putIfAbsent("use", "sig");
            keys.add(jwk);
        }
        Map<String, Object> set = new LinkedHashMap<>(jwks);
        set.put("keys", keys);
        return set;
    }

    /** A set of public keys Keycloak can verify assertions with: RSA, EC or OKP, no private or symmetric material. */
    static void requirePublicKeys(Map<String, Object> jwks) throws Refusal {
        if (!(jwks.get("keys") instanceof List<?> keys) || keys.isEmpty()) {
            throw Refusal.invalidRequest("jwks must have a non-empty \"keys\" array");
        }
        for (Object key : keys) {
            if (!(key instanceof Map<?, ?> jwk) || !(jwk.get("kty") instanceof String kty)) {
                throw Refusal.invalidRequest("jwks: every key must be a JSON object with kty");
            }
            if (!KEY_TYPES.contains(kty)) {
                throw Refusal.invalidRequest("jwks: key type '" + kty + "' is not accepted (RSA, EC or OKP public keys only)");
            }
            for (String member : PRIVATE_KEY_MEMBERS) {
                if (jwk.containsKey(member)) {
                    throw Refusal.invalidRequest("jwks must hold public keys only: a key has the private member '" + member + "'");
                }
            }
            if (jwk.get("use") != null && !"sig".equals(jwk.get("use"))) {
                throw Refusal.invalidRequest("jwks: a key's use must be sig (these keys verify the client's assertions)");
            }
            if (jwk.get("alg") instanceof String alg && !ASYMMETRIC_ALGS.contains(alg)) {
                throw Refusal.invalidRequest("jwks: a key's alg '" + alg + "' is not an asymmetric signature algorithm");
            }
        }
    }

    /** Keycloak fetches the keys from there: https, or http on a loopback host for development. */
    static void requireKeysUrl(String url) throws Refusal {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw Refusal.invalidRequest("jwksUri is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean ok = uri.getHost() != null && uri.getFragment() == null
                && ("https".equals(scheme) || ("http".equals(scheme) && LoopbackHost.of(uri)));
        if (!ok) {
            throw Refusal.invalidRequest("jwksUri must be an https URL (http only on localhost)");
        }
    }

    private static Optional<String> text(Map<String, Object> body, String member) throws Refusal {
        Object value = body.get(member);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw Refusal.invalidRequest(member + " must be a string");
        }
        return text.isBlank() ? Optional.empty() : Optional.of(text.trim());
    }

    /** A required, non-empty array of non-blank strings, duplicates dropped. */
    private static List<String> texts(Map<String, Object> body, String member) throws Refusal {
        if (!(body.get(member) instanceof List<?> values) || values.isEmpty()) {
            throw Refusal.invalidRequest(member + " is required: a non-empty array of strings");
        }
        List<String> texts = new ArrayList<>();
        for (Object value : values) {
            if (!(value instanceof String text) || text.isBlank()) {
                throw Refusal.invalidRequest(member + " must hold non-empty strings only");
            }
            if (!texts.contains(text.trim())) {
                texts.add(text.trim());
            }
        }
        return List.copyOf(texts);
    }
}
