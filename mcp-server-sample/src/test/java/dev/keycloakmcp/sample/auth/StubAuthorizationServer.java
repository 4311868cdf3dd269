package dev.keycloakmcp.sample.auth;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.keycloakmcp.sample.SampleServerConfig;
import dev.keycloakmcp.sample.metrics.SampleMetrics;

/**
 * A stand-in for Keycloak's introspection endpoint and JWKS, for the unit tests: each answers with a settable
 * status and body after a settable delay and counts its calls; tokens are signed here with the stand-in realm's
 * key. (The integration tests use the real Keycloak.)
 */
final class StubAuthorizationServer implements AutoCloseable {

    static final String ISSUER = "http://localhost:8080/realms/mcp";
    static final String RESOURCE = "http://localhost:3000/mcp";
    /** The realm's signing key, published like Keycloak's (id, use, algorithm); made once per run: RSA keys are slow to make. */
    static final RSAKey REALM_KEY = rsaKey("realm-rsa-1");
    /** Keycloak's JWKS also lists its encryption key: it must never verify a signature. */
    static final RSAKey ENCRYPTION_KEY = encryptionKey();

    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger keyFetches = new AtomicInteger();
    volatile int status = 200;
    volatile String body = "{\"active\":false}";
    volatile Duration delay = Duration.ZERO;
    /** When set, introspection answers wait until it is opened (at most 30 s): an introspection held in flight. */
    volatile java.util.concurrent.CountDownLatch gate;
    volatile int keysStatus = 200;
    volatile String keys = new JWKSet(List.of(REALM_KEY.toPublicJWK(), ENCRYPTION_KEY.toPublicJWK())).toString();
    volatile Duration keysDelay = Duration.ZERO;
    private final HttpServer server;

    StubAuthorizationServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/introspect", exchange -> {
            calls.incrementAndGet();
            java.util.concurrent.CountDownLatch held = gate;
            if (held != null) {
                try {
                    held.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            answer(exchange, delay, status, () -> body);
        });
        server.createContext("/jwks", exchange -> {
            keyFetches.incrementAndGet();
            answer(exchange, keysDelay, keysStatus, () -> keys);
        });
        server.start();
    }

    private static void answer(HttpExchange exchange, Duration delay, int status, Supplier<String> body) {
        try {
            exchange.getRequestBody().readAllBytes();
            Thread.sleep(delay.toMillis());
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            // The caller gave up (timeout tests).
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.close();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/introspect");
    }

    URI jwksUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    }

    /** The sample's defaults with the given settings changed, pointed at this server. */
    SampleServerConfig config(Map<String, String> settings) {
        Map<String, String> env = new java.util.HashMap<>(settings);
        env.putIfAbsent("MCP_INTROSPECTION_URL", uri().toString());
        env.put("MCP_JWKS_URL", jwksUri().toString());
        return SampleServerConfig.fromEnvironment(new String[0], env);
    }

    static HttpClient http(SampleServerConfig config) {
        return HttpClient.newBuilder().connectTimeout(config.introspection().connectTimeout()).build();
    }

    /** The verifier the server builds at startup (keys fetched now), pointed at this server. */
    TokenVerifier verifier(SampleServerConfig config) {
        HttpClient http = http(config);
        RealmKeys keys = RealmKeys.fetch(config, config.signedTokens().jwksUri(), http);
        return new TokenVerifier(new SignedTokenCheck(config, keys),
                new TokenIntrospector(config, config.introspection().endpoint(), http), config.introspection(), new SampleMetrics());
    }

    static String active(long expiresAt) {
        return active(expiresAt, "c", RESOURCE);
    }

    static String active(long expiresAt, String clientId, String audience) {
        return "{\"active\":true,\"iss\":\"" + ISSUER + "\",\"aud\":\"" + audience + "\",\"typ\":\"Bearer\","
                + "\"sub\":\"user-id\",\"username\":\"alice\",\"client_id\":\"" + clientId + "\",\"scope\":\"mcp:tools\",\"exp\":"
                + expiresAt + "}";
    }

    /** The claims of an access token Keycloak would issue for this server, valid for an hour; each with its own id. */
    static JWTClaimsSet.Builder accessTokenClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(List.of("account", RESOURCE))
                .claim("typ", "Bearer")
                .subject("user-id")
                .claim("azp", "c")
                .claim("scope", "mcp:tools")
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)));
    }

    /** A new access token for this server, signed with the realm's key. */
    static String token() {
        return sign(accessTokenClaims().build(), REALM_KEY, JWSAlgorithm.RS256);
    }

    static String token(String audience) {
        return sign(accessTokenClaims().audience(audience).build(), REALM_KEY, JWSAlgorithm.RS256);
    }

    static String sign(JWTClaimsSet claims, JWK key, JWSAlgorithm algorithm) {
        return sign(claims, key, new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(com.nimbusds.jose.JOSEObjectType.JWT).build());
    }

    static String sign(JWTClaimsSet claims, JWK key, JWSHeader header) {
        try {
            JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static RSAKey rsaKey(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey ecKey(String keyId) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(keyId).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey encryptionKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("realm-rsa-enc").keyUse(KeyUse.ENCRYPTION)
                    .algorithm(com.nimbusds.jose.JWEAlgorithm.RSA_OAEP_256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
