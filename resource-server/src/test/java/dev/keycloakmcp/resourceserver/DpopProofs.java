package dev.keycloakmcp.resourceserver;

import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.UnaryOperator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * DPoP proofs as a client makes them (RFC 9449 §4.2), with hooks to spoil their header or claims, for the tests of
 * the resource-server library and of the servers built on it. Published in this module's test jar.
 */
public final class DpopProofs {

    /** The client's proof key, made once per run. */
    public static final ECKey CLIENT_KEY = StubAuthorizationServer.ecKey("dpop-client");

    private DpopProofs() {
    }

    /** {@code cnf.jkt} of tokens bound to {@link #CLIENT_KEY}. */
    public static String thumbprint(JWK key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid proof for {@code method} at {@code url} presenting {@code accessToken}, signed with {@link #CLIENT_KEY}. */
    public static String proof(String method, String url, String accessToken) {
        return proof(method, url, accessToken, header -> header, claims -> claims);
    }

    /** The same with its header and claims changed (before signing) by the given functions. */
    public static String proof(String method, String url, String accessToken, UnaryOperator<JWSHeader.Builder> header,
            UnaryOperator<JWTClaimsSet.Builder> claims) {
        return proof(CLIENT_KEY, method, url, accessToken, header, claims);
    }

    public static String proof(ECKey key, String method, String url, String accessToken, UnaryOperator<JWSHeader.Builder> header,
            UnaryOperator<JWTClaimsSet.Builder> claims) {
        JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt")).jwk(key.toPublicJWK());
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", method).claim("htu", url)
                .issueTime(Date.from(Instant.now())).claim("ath", DpopProofCheck.tokenHash(accessToken));
        return StubAuthorizationServer.sign(claims.apply(c).build(), key, header.apply(h).build());
    }

    /**
     * A proof whose {@code jwk} header is the whole key pair, private part included (Nimbus will not build such a header:
     * the signing input is put together by hand).
     */
    public static String proofWithPrivateKey(String method, String url, String accessToken) {
        try {
            String header = com.nimbusds.jose.util.Base64URL.encode("{\"alg\":\"ES256\",\"typ\":\"dpop+jwt\",\"jwk\":"
                    + CLIENT_KEY.toJSONString() + "}").toString();
            String payload = com.nimbusds.jose.util.Base64URL.encode(new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
                    .claim("htm", method).claim("htu", url).issueTime(new Date()).claim("ath", DpopProofCheck.tokenHash(accessToken))
                    .build().toString()).toString();
            String input = header + "." + payload;
            com.nimbusds.jose.util.Base64URL signature = new com.nimbusds.jose.crypto.ECDSASigner(CLIENT_KEY)
                    .sign(new JWSHeader(JWSAlgorithm.ES256), input.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return input + "." + signature;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims of an access token bound to {@code key}, as Keycloak 26.7 types and confirms it. */
    public static JWTClaimsSet.Builder boundTokenClaims(JWK key) {
        return StubAuthorizationServer.accessTokenClaims().claim("typ", "DPoP")
                .claim("cnf", java.util.Map.of("jkt", thumbprint(key), "kc-jkt-type", "DPoP"));
    }
}
