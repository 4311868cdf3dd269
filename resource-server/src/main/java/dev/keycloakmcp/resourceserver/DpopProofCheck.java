package dev.keycloakmcp.resourceserver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Checks the DPoP proof of a request (RFC 9449 §4.3 and §7.1) with Nimbus JOSE+JWT: one {@code DPoP} header holding a
 * JWS of type {@code dpop+jwt}, signed with an asymmetric algorithm by the public key in its {@code jwk} header (no
 * private material), whose claims name this request ({@code htm} = its method, {@code htu} = the MCP server's canonical
 * URL, never the URL the servlet saw, which differs behind a proxy), were made recently ({@code iat} within the
 * lifetime and skew), and hash the access token ({@code ath}). {@link #confirm} then ties the proof to the token
 * ({@code cnf.jkt} = the key's RFC 7638 thumbprint) and spends it ({@code jti} not seen before).
 */
public final class DpopProofCheck {

    /** Why a proof is refused, or that it passed. Every refusal is a 401 {@code invalid_dpop_proof}. */
    public enum Verdict {
        PASSED,
        MISSING,
        /** More than one {@code DPoP} header. */
        MULTIPLE,
        /** Not a JWS compact serialization with JSON header and claims of the right types, or too long. */
        MALFORMED,
        /** {@code typ} is not {@code dpop+jwt}. */
        WRONG_TYPE,
        /** Unsigned, HMAC, or an algorithm outside {@link #ALGORITHMS}. */
        ALGORITHM_NOT_ALLOWED,
        /** No {@code jwk}, or one that does not fit the algorithm (or an RSA key under 2048 bits). */
        NO_PUBLIC_KEY,
        /** The {@code jwk} carries private key material. */
        PRIVATE_KEY,
        BAD_SIGNATURE,
        /** No {@code jti}, {@code htm}, {@code htu}, {@code iat} or {@code ath}. */
        MISSING_CLAIM,
        WRONG_METHOD,
        WRONG_URL,
        /** {@code iat} older than the lifetime plus the skew. */
        STALE,
        /** {@code iat} further in the future than the skew. */
        FUTURE,
        /** {@code ath} is not the hash of the access token presented. */
        WRONG_TOKEN_HASH,
        /** The proof's key is not the one the token is bound to ({@code cnf.jkt}). */
        KEY_MISMATCH,
        /** This proof ({@code jti}, same key) was already used. */
        REPLAYED
    }

    /** The proof of one request: its verdict, and when it passed, its key's thumbprint and replay key. */
    public record Proof(Verdict verdict, String thumbprint, String replayKey, Instant usableUntil) {

        static Proof refused(Verdict verdict) {
            return new Proof(verdict, null, null, null);
        }
    }

    /** The algorithms a proof may be signed with, as the challenge's {@code algs} lists them. */
    static final Set<JWSAlgorithm> ALGORITHMS = new LinkedHashSet<>(List.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512));
    static final String ALGORITHM_NAMES = ALGORITHMS.stream().map(JWSAlgorithm::getName).collect(Collectors.joining(" "));
    static final JOSEObjectType TYPE = new JOSEObjectType("dpop+jwt");
    /** Longest proof read: an RSA 4096 key and the claims fit in a quarter of it. */
    static final int MAX_LENGTH = 8 * 1024;
    private static final int MIN_RSA_BITS = 2048;
    private static final int MAX_JTI_LENGTH = 256;

    private final DpopSettings settings;
    private final String htu;
    private final Clock clock;

    public DpopProofCheck(McpAuthSettings config, DpopSettings settings) {
        this(config, settings, Clock.systemUTC());
    }

    DpopProofCheck(McpAuthSettings config, DpopSettings settings, Clock clock) {
        this.settings = settings;
        this.htu = comparableUrl(config.resource());
        this.clock = clock;
    }

    /** Checks the {@code DPoP} headers of a request with {@code method} that presents {@code accessToken}. */
    public Proof check(List<String> proofHeaders, String method, String accessToken) {
        if (proofHeaders.isEmpty()) {
            return Proof.refused(Verdict.MISSING);
        }
        if (proofHeaders.size() > 1) {
            return Proof.refused(Verdict.MULTIPLE);
        }
        String proof = proofHeaders.get(0).strip();
        if (proof.length() > MAX_LENGTH) {
            return Proof.refused(Verdict.MALFORMED);
        }
        try {
            return check(SignedJWT.parse(proof), method, accessToken);
        } catch (ParseException | RuntimeException e) {
            // Nimbus reports most malformed input as ParseException (a private jwk in the header too: said apart below);
            // a claim of an unexpected type can surface as a runtime exception. Either way it is no proof.
            return Proof.refused(hasPrivateKey(proof) ? Verdict.PRIVATE_KEY : Verdict.MALFORMED);
        }
    }

    /** Whether the proof's header has a {@code jwk} with private material, which Nimbus refuses to parse as a header. */
    private static boolean hasPrivateKey(String proof) {
        int dot = proof.indexOf('.');
        try {
            Map<String, Object> header = JSONObjectUtils.parse(new Base64URL(dot < 0 ? proof : proof.substring(0, dot)).decodeToString());
            Map<String, Object> jwk = JSONObjectUtils.getJSONObject(header, "jwk");
            return jwk != null && JWK.parse(jwk).isPrivate();
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    private Proof check(SignedJWT jwt, String method, String accessToken) throws ParseException {
        JWSHeader header = jwt.getHeader();
        if (!TYPE.equals(header.getType())) {
            return Proof.refused(Verdict.WRONG_TYPE);
        }
        if (!ALGORITHMS.contains(header.getAlgorithm())) {
            return Proof.refused(Verdict.ALGORITHM_NOT_ALLOWED);
        }
        JWK jwk = header.getJWK();
        if (jwk == null) {
            return Proof.refused(Verdict.NO_PUBLIC_KEY);
        }
        if (jwk.isPrivate()) {
            return Proof.refused(Verdict.PRIVATE_KEY);
        }
        JWSVerifier verifier;
        try {
            verifier = verifier(header.getAlgorithm(), jwk);
        } catch (JOSEException e) {
            return Proof.refused(Verdict.NO_PUBLIC_KEY);
        }
        if (verifier == null) {
            return Proof.refused(Verdict.NO_PUBLIC_KEY);
        }
        try {
            if (!jwt.verify(verifier)) {
                return Proof.refused(Verdict.BAD_SIGNATURE);
            }
        } catch (JOSEException | IllegalStateException e) {
            return Proof.refused(Verdict.BAD_SIGNATURE);
        }

        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        String jti = claims.getJWTID();
        String htm = claims.getStringClaim("htm");
        String proofHtu = claims.getStringClaim("htu");
        String ath = claims.getStringClaim("ath");
        Date iat = claims.getIssueTime();
        if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH || htm == null || proofHtu == null || iat == null || ath == null) {
            return Proof.refused(Verdict.MISSING_CLAIM);
        }
        if (!htm.equals(method)) {
            return Proof.refused(Verdict.WRONG_METHOD);
        }
        if (!htu.equals(comparableUrl(proofHtu))) {
            return Proof.refused(Verdict.WRONG_URL);
        }
        Instant now = clock.instant();
        Instant issued = iat.toInstant();
        if (issued.isBefore(now.minus(settings.proofLifetime()).minus(settings.clockSkew()))) {
            return Proof.refused(Verdict.STALE);
        }
        if (issued.isAfter(now.plus(settings.clockSkew()))) {
            return Proof.refused(Verdict.FUTURE);
        }
        if (!MessageDigest.isEqual(ath.getBytes(StandardCharsets.US_ASCII), tokenHash(accessToken).getBytes(StandardCharsets.US_ASCII))) {
            return Proof.refused(Verdict.WRONG_TOKEN_HASH);
        }
        String thumbprint;
        try {
            thumbprint = jwk.computeThumbprint().toString();
        } catch (JOSEException e) {
            return Proof.refused(Verdict.NO_PUBLIC_KEY);
        }
        // The proof is refused as stale from this instant on, so it need not be remembered longer.
        Instant usableUntil = issued.plus(settings.proofLifetime()).plus(settings.clockSkew());
        return new Proof(Verdict.PASSED, thumbprint, sha256(thumbprint + "\n" + jti), usableUntil);
    }

    /**
     * Ties a passed proof to the token's confirmation key and spends it: the key must be the one the token is bound to,
     * and the proof must not have been used before (the check that must come last, so a proof refused for another
     * reason is not spent).
     */
    public Verdict confirm(Proof proof, String boundKey) {
        if (proof.verdict() != Verdict.PASSED) {
            return proof.verdict();
        }
        if (boundKey == null || !MessageDigest.isEqual(boundKey.getBytes(StandardCharsets.UTF_8), proof.thumbprint().getBytes(StandardCharsets.UTF_8))) {
            return Verdict.KEY_MISMATCH;
        }
        return settings.replay().firstUse(proof.replayKey(), proof.usableUntil()) ? Verdict.PASSED : Verdict.REPLAYED;
    }

    /** RFC 9449 §4.2 {@code ath}: base64url SHA-256 of the token's ASCII, no padding. */
    static String tokenHash(String accessToken) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
    }

    private static JWSVerifier verifier(JWSAlgorithm algorithm, JWK jwk) throws JOSEException {
        if (JWSAlgorithm.Family.EC.contains(algorithm) && jwk instanceof ECKey ec) {
            // The verifier refuses a curve that does not fit the algorithm (P-384 key, ES256 proof) when it verifies.
            return new ECDSAVerifier(ec);
        }
        if (JWSAlgorithm.Family.RSA.contains(algorithm) && jwk instanceof RSAKey rsa && rsa.size() >= MIN_RSA_BITS) {
            return new RSASSAVerifier(rsa);
        }
        return null;
    }

    /**
     * RFC 9449 §4.3: {@code htu} is compared without query and fragment, after syntax-based normalization: the form the
     * canonical resource URL has (lowercase scheme and host, no trailing slash), without a default port.
     */
    static String comparableUrl(String url) {
        try {
            String withoutQuery = url.strip();
            int end = withoutQuery.length();
            for (char c : new char[] {'?', '#'}) {
                int at = withoutQuery.indexOf(c);
                end = at >= 0 ? Math.min(end, at) : end;
            }
            String canonical = McpAuthSettings.canonical(withoutQuery.substring(0, end));
            return canonical.replaceFirst("^https://([^/:]+):443(?=/|$)", "https://$1").replaceFirst("^http://([^/:]+):80(?=/|$)", "http://$1");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String sha256(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
