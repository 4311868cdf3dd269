package dev.keycloakmcp.enterprise;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.keycloakmcp.core.Refusal;

/**
 * An Identity Assertion JWT Authorization Grant (ID-JAG, draft-ietf-oauth-identity-assertion-authz-grant §4.3; MCP's
 * Enterprise-Managed Authorization): the claims an enterprise IdP signed, and the checks on them that need no key. Read
 * from a JWS whose signature {@link AssertionSignature} checks; every break is {@code invalid_grant} (RFC 7521 §5.2), so
 * a client learns why without the realm telling it more than the assertion already says.
 *
 * @param issuer        {@code iss}: the IdP, which must be one the realm trusts ({@link TrustedIdps})
 * @param subject       {@code sub}: the user at the IdP, matched to the realm's user by account link ({@link LinkedUser})
 * @param audience      {@code aud}: must name this realm's issuer
 * @param clientId      {@code client_id}: the client the IdP issued it to, which must be the one presenting it
 * @param resource      {@code resource}: the MCP server the token is for
 * @param id            {@code jti}: used once ({@link AssertionReplay})
 * @param expiresAt     {@code exp}, seconds
 * @param issuedAt      {@code iat}, seconds
 * @param scope         {@code scope}: the scopes the IdP granted, space separated (empty: none)
 * @param email         {@code email}, for the admin-allowed fallback when no account is linked
 * @param emailVerified {@code email_verified} where the IdP says it
 */
record IdentityAssertion(String issuer, String subject, List<String> audience, String clientId, String resource, String id,
        long expiresAt, long issuedAt, String scope, Optional<String> email, Optional<Boolean> emailVerified) {

    /** The JOSE {@code typ} of an ID-JAG (RFC 8725 §3.11: explicit typing keeps other JWTs of the IdP out). */
    static final String TYPE = "oauth-id-jag+jwt";
    /** How far the IdP's clock may be from this one. */
    static final int CLOCK_SKEW_SECONDS = 30;

    /** The claims of an assertion, each required one present and of its type. */
    static IdentityAssertion read(Map<String, Object> claims) throws Refusal {
        return new IdentityAssertion(text(claims, "iss"), text(claims, "sub"), audience(claims.get("aud")), text(claims, "client_id"),
                text(claims, "resource"), text(claims, "jti"), seconds(claims, "exp"), seconds(claims, "iat"), scope(claims.get("scope")),
                optionalText(claims.get("email")), claims.get("email_verified") instanceof Boolean verified ? Optional.of(verified) : Optional.empty());
    }

    /** The JOSE header's {@code typ}, compared as RFC 7515 §4.1.9 says (case-insensitive, {@code application/} optional). */
    static void requireType(String type) throws Refusal {
        String bare = type == null ? "" : type.regionMatches(true, 0, "application/", 0, 12) ? type.substring(12) : type;
        if (!TYPE.equalsIgnoreCase(bare)) {
            throw Refusal.invalidGrant("The assertion's typ must be " + TYPE);
        }
    }

    /**
     * Not expired, not issued in the future, and not meant to live longer than the IdP's setting: an ID-JAG is short-lived,
     * so a long one was not made for this use.
     */
    void requireTimely(long now, int maxLifetimeSeconds) throws Refusal {
        // Bounds first, so that no arithmetic below can overflow.
        if (issuedAt < 0 || expiresAt > now + CLOCK_SKEW_SECONDS + maxLifetimeSeconds) {
            throw Refusal.invalidGrant("The assertion's lifetime must be at most " + maxLifetimeSeconds + " seconds from now");
        }
        if (expiresAt + CLOCK_SKEW_SECONDS < now) {
            throw Refusal.invalidGrant("The assertion has expired");
        }
        if (issuedAt - CLOCK_SKEW_SECONDS > now) {
            throw Refusal.invalidGrant("The assertion is issued in the future");
        }
        if (expiresAt <= issuedAt || expiresAt - issuedAt > maxLifetimeSeconds) {
            throw Refusal.invalidGrant("The assertion's lifetime (exp - iat) must be positive and at most " + maxLifetimeSeconds + " seconds");
        }
    }

    /** Its {@code aud} names this realm's issuer (the ID-JAG is for this authorization server only). */
    void requireAudience(String realmIssuer) throws Refusal {
        if (!audience.contains(realmIssuer)) {
            throw Refusal.invalidGrant("The assertion's aud must be this authorization server's issuer, " + realmIssuer);
        }
    }

    /** Its {@code client_id} is the client that authenticated at the token endpoint. */
    void requireClient(String authenticatedClientId) throws Refusal {
        if (!clientId.equals(authenticatedClientId)) {
            throw Refusal.invalidGrant("The assertion was issued to another client");
        }
    }

    /** Seconds the replay store must remember its {@code jti}: until no clock could take it as unexpired. */
    long replayWindow(long now) {
        return Math.max(1, expiresAt + CLOCK_SKEW_SECONDS - now);
    }

    private static String text(Map<String, Object> claims, String name) throws Refusal {
        return optionalText(claims.get(name)).orElseThrow(() -> Refusal.invalidGrant("The assertion has no " + name + " claim"));
    }

    private static Optional<String> optionalText(Object value) {
        return value instanceof String text && !text.isBlank() ? Optional.of(text) : Optional.empty();
    }

    /** A whole number of seconds (RFC 7519 NumericDate; JSON fractions and numbers beyond a long are refused). */
    private static long seconds(Map<String, Object> claims, String name) throws Refusal {
        Object value = claims.get(name);
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw Refusal.invalidGrant("The assertion has no " + name + " claim in whole seconds");
    }

    private static List<String> audience(Object value) throws Refusal {
        if (value instanceof String single && !single.isBlank()) {
            return List.of(single);
        }
        if (value instanceof Collection<?> many && !many.isEmpty() && many.stream().allMatch(String.class::isInstance)) {
            return many.stream().map(String.class::cast).toList();
        }
        throw Refusal.invalidGrant("The assertion has no aud claim");
    }

    /** A space-separated string (RFC 6749 §3.3); an array of such strings is read too, as the MCP profile's table shows one. */
    private static String scope(Object value) throws Refusal {
        if (value == null) {
            return "";
        }
        if (value instanceof String text) {
            return text.strip();
        }
        if (value instanceof Collection<?> many && many.stream().allMatch(String.class::isInstance)) {
            return String.join(" ", many.stream().map(String.class::cast).toList()).strip();
        }
        throw Refusal.invalidGrant("The assertion's scope claim must be a string");
    }
}
