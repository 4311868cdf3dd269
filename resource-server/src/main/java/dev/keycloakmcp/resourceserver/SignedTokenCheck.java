package dev.keycloakmcp.resourceserver;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;



/**
 * Checks a bearer token on this server before Keycloak is asked about it: a JWS signed with an allowed algorithm by
 * one of the realm's keys, from the configured issuer, for this server's canonical URL, an access token (Keycloak's
 * {@code typ} claim {@code Bearer}, or {@code DPoP} with a {@code cnf.jkt}; not {@code Refresh} or {@code ID}) and within its lifetime give or take the clock
 * skew. Made-up tokens are refused here at the cost of a parse (and at most a signature check), without spending
 * one of the introspections a request may have in flight; introspection still decides for every token that passes
 * (it is what catches revocation and logout).
 */
public final class SignedTokenCheck {

    /** Why a token is refused here, or that it passed. */
    public enum Verdict {
        PASSED,
        /** Not a JWS compact serialization with JSON header and claims of the right types. */
        MALFORMED,
        /** Unsigned ({@code none}), encrypted, or signed with an algorithm outside {@link #ALLOWED_ALGORITHMS} (HMAC). */
        ALGORITHM_NOT_ALLOWED,
        /** No key id, or one the realm does not have (after at most one refetch of its keys). */
        NO_SUCH_KEY,
        /** The key with that id does not verify the signature with the token's algorithm. */
        BAD_SIGNATURE,
        WRONG_ISSUER,
        /** This server's canonical URL is not in {@code aud}: the token is meant for another server. */
        WRONG_AUDIENCE,
        /** A refresh token, ID token, or anything else that is not an access token. */
        NOT_AN_ACCESS_TOKEN,
        /** No {@code exp}, or past it. */
        EXPIRED,
        /** Before its {@code nbf}. */
        NOT_YET_VALID
    }

    /**
     * The asymmetric algorithms Keycloak signs access tokens with (EdDSA aside). Never {@code none}, never HMAC: an
     * HMAC "signature" made with the realm's public key as the secret must not pass as one.
     */
    static final Set<JWSAlgorithm> ALLOWED_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final McpAuthSettings config;
    private final RealmKeys keys;

    public SignedTokenCheck(McpAuthSettings config, RealmKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    /**
     * The cheap checks first, then the key (fetching the realm's keys at most once) and the signature, so that junk
     * costs no signature check and junk with a random key id and wrong claims no fetch.
     *
     * @throws AuthorizationServerUnavailable the token names a key id this server does not know and the realm's keys
     *                                        cannot be fetched: it may be valid, so fail closed
     */
    public Verdict check(String token) throws AuthorizationServerUnavailable {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            JWT parsed = JWTParser.parse(token);
            if (!(parsed instanceof SignedJWT signed)) {
                return Verdict.ALGORITHM_NOT_ALLOWED;
            }
            jwt = signed;
            if (!ALLOWED_ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
                return Verdict.ALGORITHM_NOT_ALLOWED;
            }
            claims = jwt.getJWTClaimsSet();
            Verdict verdict = claims(claims);
            if (verdict != Verdict.PASSED) {
                return verdict;
            }
        } catch (ParseException | RuntimeException e) {
            // Nimbus reports most malformed input as ParseException; a claim of an unexpected type can also surface
            // as a runtime exception. Either way the token is not one of Keycloak's.
            return Verdict.MALFORMED;
        }
        return signature(jwt);
    }

    private Verdict claims(JWTClaimsSet claims) throws ParseException {
        if (!config.issuer().equals(claims.getIssuer())) {
            return Verdict.WRONG_ISSUER;
        }
        List<String> audience = claims.getAudience();
        if (!audience.contains(config.resource())) {
            return Verdict.WRONG_AUDIENCE;
        }
        // Keycloak types a DPoP-bound access token "DPoP" (with cnf.jkt); which scheme may present it is the guard's rule.
        String type = claims.getStringClaim("typ");
        boolean bound = type != null && type.equalsIgnoreCase("DPoP");
        if (!bound && !"Bearer".equalsIgnoreCase(type) || bound && boundKey(claims) == null) {
            return Verdict.NOT_AN_ACCESS_TOKEN;
        }
        Instant now = Instant.now();
        Date expiry = claims.getExpirationTime();
        if (expiry == null || !expiry.toInstant().plus(config.signedTokens().clockSkew()).isAfter(now)) {
            return Verdict.EXPIRED;
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.toInstant().minus(config.signedTokens().clockSkew()).isAfter(now)) {
            return Verdict.NOT_YET_VALID;
        }
        return Verdict.PASSED;
    }

    /** The token's {@code cnf.jkt}, if any; other {@code cnf} members (Keycloak's {@code kc-jkt-type}) do not matter. */
    static String boundKey(JWTClaimsSet claims) throws ParseException {
        Object jkt = claims.getJSONObjectClaim("cnf") == null ? null : claims.getJSONObjectClaim("cnf").get("jkt");
        return jkt instanceof String key && !key.isEmpty() ? key : null;
    }

    private Verdict signature(SignedJWT jwt) throws AuthorizationServerUnavailable {
        JWSHeader header = jwt.getHeader();
        if (header.getKeyID() == null) {
            return Verdict.NO_SUCH_KEY;
        }
        List<RealmKeys.SigningKey> candidates = keys.withId(header.getKeyID());
        if (candidates.isEmpty()) {
            return Verdict.NO_SUCH_KEY;
        }
        for (RealmKeys.SigningKey key : candidates) {
            // A key published for one algorithm is not used with another (RS256 key, PS256 token).
            if (key.jwk().getAlgorithm() != null && !key.jwk().getAlgorithm().equals(header.getAlgorithm())) {
                continue;
            }
            try {
                if (jwt.verify(key.verifier())) {
                    return Verdict.PASSED;
                }
            } catch (JOSEException | IllegalStateException e) {
                // The key's type or curve does not fit the algorithm: not this key.
            }
        }
        return Verdict.BAD_SIGNATURE;
    }
}
