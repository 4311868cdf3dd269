package dev.keycloakmcp.it.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.function.UnaryOperator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * A DPoP client's key and its proofs (RFC 9449 §4.2), made with Nimbus as a client would, with hooks to spoil them
 * (tests and benchmark only).
 */
public final class DpopProver {

    private final JWK key;
    private final JWSSigner signer;
    private final JWSAlgorithm algorithm;

    /** An ES256 (P-256) key, what DPoP clients use by default. */
    public DpopProver() {
        this(JWSAlgorithm.ES256);
    }

    /** A key for {@code algorithm}: ES256 (P-256), or RS256/PS256 (RSA 2048). */
    public DpopProver(JWSAlgorithm algorithm) {
        this.algorithm = algorithm;
        try {
            if (JWSAlgorithm.ES256.equals(algorithm)) {
                ECKey ec = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
                key = ec;
                signer = new ECDSASigner(ec);
            } else {
                RSAKey rsa = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
                key = rsa;
                signer = new RSASSASigner(rsa);
            }
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code cnf.jkt} of the tokens bound to this key. */
    public String thumbprint() {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A proof for {@code method} at {@code url}; {@code accessToken} null at the token endpoint (no {@code ath}). */
    public String proof(String method, String url, String accessToken) {
        return proof(method, url, accessToken, header -> header, claims -> claims);
    }

    public String proof(String method, String url, String accessToken, UnaryOperator<JWSHeader.Builder> header,
            UnaryOperator<JWTClaimsSet.Builder> claims) {
        JWSHeader.Builder h = new JWSHeader.Builder(algorithm).type(new JOSEObjectType("dpop+jwt")).jwk(key.toPublicJWK());
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", method).claim("htu", url)
                .issueTime(Date.from(Instant.now()));
        if (accessToken != null) {
            c.claim("ath", tokenHash(accessToken));
        }
        try {
            SignedJWT jwt = new SignedJWT(header.apply(h).build(), claims.apply(c).build());
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A proof whose {@code jwk} is the whole key pair (Nimbus will not build that header: put together by hand). */
    public String proofWithPrivateKey(String method, String url, String accessToken) {
        String header = Base64URL.encode("{\"alg\":\"" + algorithm + "\",\"typ\":\"dpop+jwt\",\"jwk\":" + key.toJSONString() + "}").toString();
        String payload = Base64URL.encode(new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", method)
                .claim("htu", url).issueTime(new Date()).claim("ath", tokenHash(accessToken)).build().toString()).toString();
        String input = header + "." + payload;
        try {
            return input + "." + signer.sign(new JWSHeader(algorithm), input.getBytes(StandardCharsets.US_ASCII));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned ({@code alg: none}) proof with the claims of a valid one. */
    public String unsignedProof(String method, String url, String accessToken) {
        String claims = proof(method, url, accessToken).split("\\.")[1];
        return Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"dpop+jwt\"}".getBytes(StandardCharsets.US_ASCII))
                + "." + claims + ".";
    }

    /** RFC 9449 {@code ath}. */
    public static String tokenHash(String accessToken) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
