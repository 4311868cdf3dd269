package dev.keycloakmcp.resourceserver;

import static dev.keycloakmcp.resourceserver.StubAuthorizationServer.REALM_KEY;
import static dev.keycloakmcp.resourceserver.StubAuthorizationServer.accessTokenClaims;
import static dev.keycloakmcp.resourceserver.StubAuthorizationServer.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import dev.keycloakmcp.resourceserver.SignedTokenCheck.Verdict;

/** What the server refuses by itself, and what it costs: each case counts the fetches of the realm's keys it causes. */
class SignedTokenCheckTest {

    private static final RSAKey OTHER_KEY = StubAuthorizationServer.rsaKey(REALM_KEY.getKeyID());
    private static StubAuthorizationServer keycloak;

    @BeforeAll
    static void start() throws Exception {
        keycloak = new StubAuthorizationServer();
    }

    @AfterAll
    static void stop() {
        keycloak.close();
    }

    private static Arguments table(String name, Supplier<String> token, Verdict verdict, int keyFetches) {
        return Arguments.of(name, token, verdict, keyFetches);
    }

    private static Date at(long secondsFromNow) {
        return Date.from(Instant.now().plusSeconds(secondsFromNow));
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String realm(JWTClaimsSet claims) {
        return sign(claims, REALM_KEY, JWSAlgorithm.RS256);
    }

    static Stream<Arguments> tokens() {
        String rs256 = base64("{\"alg\":\"RS256\",\"kid\":\"" + REALM_KEY.getKeyID() + "\"}");
        String signature = realm(accessTokenClaims().build()).split("\\.")[2];
        return Stream.of(
                table("access token for this server", StubAuthorizationServer::token, Verdict.PASSED, 0),
                table("audience a single string", () -> StubAuthorizationServer.token(StubAuthorizationServer.RESOURCE), Verdict.PASSED, 0),
                table("expired less than the clock skew ago", () -> realm(accessTokenClaims().expirationTime(at(-10)).build()), Verdict.PASSED, 0),

                table("another key under the realm's key id", () -> sign(accessTokenClaims().build(), OTHER_KEY, JWSAlgorithm.RS256),
                        Verdict.BAD_SIGNATURE, 0),
                table("claims changed after signing", () -> {
                    String[] parts = StubAuthorizationServer.token().split("\\.");
                    return parts[0] + "." + base64(accessTokenClaims().claim("scope", "mcp:tools mcp:tools:write").build().toString()) + "." + parts[2];
                }, Verdict.BAD_SIGNATURE, 0),
                table("PS256 with the realm's RS256 key", () -> sign(accessTokenClaims().build(), REALM_KEY, JWSAlgorithm.PS256),
                        Verdict.BAD_SIGNATURE, 0),
                table("ES256 under the realm's RSA key id", () -> sign(accessTokenClaims().build(), StubAuthorizationServer.ecKey(REALM_KEY.getKeyID()),
                        JWSAlgorithm.ES256), Verdict.BAD_SIGNATURE, 0),
                table("unknown key id: one refetch, then refused", () -> sign(accessTokenClaims().build(),
                        StubAuthorizationServer.rsaKey("attacker-key"), JWSAlgorithm.RS256), Verdict.NO_SUCH_KEY, 1),
                table("the realm's encryption key", () -> sign(accessTokenClaims().build(), StubAuthorizationServer.ENCRYPTION_KEY,
                        JWSAlgorithm.RS256), Verdict.NO_SUCH_KEY, 1),
                table("no key id", () -> sign(accessTokenClaims().build(), REALM_KEY, new JWSHeader.Builder(JWSAlgorithm.RS256).build()),
                        Verdict.NO_SUCH_KEY, 0),

                table("expired", () -> realm(accessTokenClaims().expirationTime(at(-3600)).build()), Verdict.EXPIRED, 0),
                table("no expiry", () -> realm(accessTokenClaims().expirationTime(null).build()), Verdict.EXPIRED, 0),
                table("not yet valid", () -> realm(accessTokenClaims().notBeforeTime(at(3600)).build()), Verdict.NOT_YET_VALID, 0),
                table("another issuer", () -> realm(accessTokenClaims().issuer("http://localhost:8080/realms/other").build()),
                        Verdict.WRONG_ISSUER, 0),
                table("issuer with a trailing slash", () -> realm(accessTokenClaims().issuer(StubAuthorizationServer.ISSUER + "/").build()),
                        Verdict.WRONG_ISSUER, 0),
                table("no issuer", () -> realm(accessTokenClaims().issuer(null).build()), Verdict.WRONG_ISSUER, 0),
                table("another MCP server's token", () -> StubAuthorizationServer.token("http://localhost:4000/mcp"), Verdict.WRONG_AUDIENCE, 0),
                table("audience only starting with this server's URL", () -> StubAuthorizationServer.token("http://localhost:3000/mcp/other"),
                        Verdict.WRONG_AUDIENCE, 0),
                table("no audience", () -> realm(accessTokenClaims().audience((String) null).build()), Verdict.WRONG_AUDIENCE, 0),
                table("refresh token (typ Refresh)", () -> realm(accessTokenClaims().claim("typ", "Refresh").build()),
                        Verdict.NOT_AN_ACCESS_TOKEN, 0),
                table("ID token (typ ID)", () -> realm(accessTokenClaims().claim("typ", "ID").build()), Verdict.NOT_AN_ACCESS_TOKEN, 0),
                table("no typ", () -> realm(accessTokenClaims().claim("typ", null).build()), Verdict.NOT_AN_ACCESS_TOKEN, 0),
                table("DPoP-bound (typ DPoP, cnf.jkt and kc-jkt-type)", () -> realm(DpopProofs.boundTokenClaims(DpopProofs.CLIENT_KEY).build()),
                        Verdict.PASSED, 0),
                table("typ DPoP without cnf.jkt", () -> realm(accessTokenClaims().claim("typ", "DPoP").build()), Verdict.NOT_AN_ACCESS_TOKEN, 0),
                table("typ DPoP with cnf not an object", () -> realm(accessTokenClaims().claim("typ", "DPoP").claim("cnf", "jkt").build()),
                        Verdict.MALFORMED, 0),
                table("wrong claims and an unknown key id: no refetch", () -> sign(accessTokenClaims().issuer("https://evil.example").build(),
                        StubAuthorizationServer.rsaKey("random-kid"), JWSAlgorithm.RS256), Verdict.WRONG_ISSUER, 0),

                table("alg none", () -> new PlainJWT(accessTokenClaims().build()).serialize(), Verdict.ALGORITHM_NOT_ALLOWED, 0),
                table("alg none spelled in a JWS header", () -> base64("{\"alg\":\"none\",\"kid\":\"" + REALM_KEY.getKeyID() + "\"}") + "."
                        + base64(accessTokenClaims().build().toString()) + ".", Verdict.ALGORITHM_NOT_ALLOWED, 0),
                table("HS256 keyed with the realm's public key", () -> hmac(JWSAlgorithm.HS256, publicKeyBytes()),
                        Verdict.ALGORITHM_NOT_ALLOWED, 0),
                table("HS512 (how Keycloak signs refresh tokens)", () -> hmac(JWSAlgorithm.HS512, new byte[64]), Verdict.ALGORITHM_NOT_ALLOWED, 0),
                table("encrypted (JWE)", SignedTokenCheckTest::encrypted, Verdict.ALGORITHM_NOT_ALLOWED, 0),

                table("not a JWT", () -> "not-a-token", Verdict.MALFORMED, 0),
                table("three empty parts", () -> "..", Verdict.MALFORMED, 0),
                table("a.b.c", () -> "a.b.c", Verdict.MALFORMED, 0),
                table("header only", () -> rs256, Verdict.MALFORMED, 0),
                table("header not JSON", () -> base64("{alg:RS256") + "." + base64("{}") + "." + signature, Verdict.MALFORMED, 0),
                table("random eyJ... with a random key id", SignedTokenCheckTest::junk, Verdict.MALFORMED, 0),
                table("claims not JSON", () -> rs256 + "." + base64("not json") + "." + signature, Verdict.MALFORMED, 0),
                table("claims a JSON array", () -> rs256 + "." + base64("[1,2]") + "." + signature, Verdict.MALFORMED, 0),
                table("exp a string", () -> rs256 + "." + base64("{\"iss\":\"" + StubAuthorizationServer.ISSUER + "\",\"exp\":\"tomorrow\"}")
                        + "." + signature, Verdict.MALFORMED, 0),
                table("deeply nested claims", () -> rs256 + "." + base64("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}") + "."
                        + signature, Verdict.MALFORMED, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokens")
    void refusesAllButAccessTokensForThisServer(String name, Supplier<String> token, Verdict verdict, int keyFetches)
            throws Exception {
        McpAuthSettings config = keycloak.config(Map.of());
        RealmKeys keys = new RealmKeys(keycloak.jwksUri(), StubAuthorizationServer.http(config), Duration.ofSeconds(5),
                Duration.ofSeconds(10), 32, System::nanoTime);
        keys.load();
        int before = keycloak.keyFetches.get();
        SignedTokenCheck check = new SignedTokenCheck(config, keys);
        String presented = token.get();
        assertEquals(verdict, check.check(presented), name);
        assertEquals(keyFetches, keycloak.keyFetches.get() - before, "fetches of the realm's keys");
        assertEquals(verdict, check.check(presented), "the same answer again");
        assertEquals(keyFetches, keycloak.keyFetches.get() - before, "no second fetch within the interval");
    }

    private static byte[] publicKeyBytes() {
        try {
            return REALM_KEY.toRSAPublicKey().getEncoded();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmac(JWSAlgorithm algorithm, byte[] secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(REALM_KEY.getKeyID()).build(), accessTokenClaims().build());
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encrypted() {
        try {
            EncryptedJWT jwt = new EncryptedJWT(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A128GCM)
                    .keyID(StubAuthorizationServer.ENCRYPTION_KEY.getKeyID()).build(), accessTokenClaims().build());
            jwt.encrypt(new RSAEncrypter(StubAuthorizationServer.ENCRYPTION_KEY.toRSAPublicKey()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Like the flood in the security review: a JWT-shaped header with a random key id, random payload and signature. */
    private static String junk() {
        java.util.Random random = new java.util.Random();
        byte[] payload = new byte[300];
        byte[] bytes = new byte[256];
        random.nextBytes(payload);
        random.nextBytes(bytes);
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return base64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + Long.toHexString(random.nextLong()) + "\"}") + "."
                + encoder.encodeToString(payload) + "." + encoder.encodeToString(bytes);
    }

    static List<String> junkTokens() {
        return List.of("not-a-token", junk(), StubAuthorizationServer.token("http://localhost:4000/mcp"),
                sign(accessTokenClaims().build(), OTHER_KEY, JWSAlgorithm.RS256), hmac(JWSAlgorithm.HS256, publicKeyBytes()),
                realm(accessTokenClaims().claim("typ", "Refresh").build()), realm(accessTokenClaims().expirationTime(at(-3600)).build()));
    }
}
