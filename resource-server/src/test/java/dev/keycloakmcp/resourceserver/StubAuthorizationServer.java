package dev.keycloakmcp.resourceserver;

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


/**
 * A stand-in for Keycloak's introspection endpoint and JWKS, for the unit tests: each answers with a settable
 * status and body after a settable delay and counts its calls; tokens are signed here with the stand-in realm's
 * key. (The integration tests use the real Keycloak.) Published in this module's test jar for the servers built on
 * it (the sample server's tests).
 */
public final class StubAuthorizationServer implements AutoCloseable {

    public static final String ISSUER = "http://localhost:8080/realms/mcp";
    public static final String RESOURCE = "http://localhost:3000/mcp";
    /** The realm's signing key, published like Keycloak's (id, use, algorithm); made once per run: RSA keys are slow to make. */
    public static final RSAKey REALM_KEY = rsaKey("realm-rsa-1");
    /** Keycloak's JWKS also lists its encryption key: it must never verify a signature. */
    public static final RSAKey ENCRYPTION_KEY = encryptionKey();

    public final AtomicInteger calls = new AtomicInteger();
    public final AtomicInteger keyFetches = new AtomicInteger();
    public volatile int status = 200;
    public volatile String body = "{\"active\":false}";
    public volatile Duration delay = Duration.ZERO;
    /** When set, introspection answers wait until it is opened (at most 30 s): an introspection held in flight. */
    public volatile java.util.concurrent.CountDownLatch gate;
    public volatile int keysStatus = 200;
    public volatile String keys = new JWKSet(List.of(REALM_KEY.toPublicJWK(), ENCRYPTION_KEY.toPublicJWK())).toString();
    public volatile Duration keysDelay = Duration.ZERO;
    private final HttpServer server;

    public StubAuthorizationServer() throws IOException {
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

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/introspect");
    }

    public URI jwksUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    }

    /**
     * The library's defaults pointed at this server, with the introspection settings given by their sample server
     * names changed ({@code MCP_TOKEN_CACHE_SECONDS}, {@code MCP_INACTIVE_TOKEN_CACHE_SECONDS},
     * {@code MCP_INTROSPECTION_TIMEOUT_MS}, {@code MCP_MAX_CONCURRENT_INTROSPECTIONS}).
     */
    public McpAuthSettings config(Map<String, String> settings) {
        java.util.function.ToLongFunction<String> value = name -> Long.parseLong(settings.getOrDefault(name, switch (name) {
            case "MCP_TOKEN_CACHE_SECONDS" -> "30";
            case "MCP_INACTIVE_TOKEN_CACHE_SECONDS" -> "5";
            case "MCP_INTROSPECTION_TIMEOUT_MS" -> "5000";
            default -> "32";
        }));
        IntrospectionSettings introspection = new IntrospectionSettings(uri(), IntrospectionSettings.defaults().connectTimeout(),
                Duration.ofMillis(value.applyAsLong("MCP_INTROSPECTION_TIMEOUT_MS")), Duration.ofSeconds(value.applyAsLong("MCP_TOKEN_CACHE_SECONDS")),
                Duration.ofSeconds(value.applyAsLong("MCP_INACTIVE_TOKEN_CACHE_SECONDS")), 10_000,
                (int) value.applyAsLong("MCP_MAX_CONCURRENT_INTROSPECTIONS"));
        SignedTokenSettings defaults = SignedTokenSettings.defaults();
        return new McpAuthSettings(ISSUER, RESOURCE, null, null, "secret", "mcp:tools", introspection,
                new SignedTokenSettings(jwksUri(), defaults.refetchInterval(), defaults.clockSkew()));
    }

    /** The library's defaults for this stand-in realm and MCP server, pointed nowhere (for rules that make no call). */
    public static McpAuthSettings defaultSettings() {
        return new McpAuthSettings(ISSUER, RESOURCE, null, null, "secret", "mcp:tools", IntrospectionSettings.defaults(),
                SignedTokenSettings.defaults());
    }

    static HttpClient http(McpAuthSettings config) {
        return HttpClient.newBuilder().connectTimeout(config.introspection().connectTimeout()).build();
    }

    /** The verifier a server builds at startup (keys fetched now), pointed at this server. */
    public TokenVerifier verifier(McpAuthSettings config) {
        return verifier(config, AuthorizationEvents.NONE);
    }

    /** The same, reporting to {@code events}. */
    public TokenVerifier verifier(McpAuthSettings config, AuthorizationEvents events) {
        HttpClient http = http(config);
        RealmKeys keys = RealmKeys.fetch(config, config.signedTokens().jwksUri(), http);
        return new TokenVerifier(new SignedTokenCheck(config, keys),
                new TokenIntrospector(config, config.introspection().endpoint(), http), config.introspection(), events);
    }

    public static String active(long expiresAt) {
        return active(expiresAt, "c", RESOURCE);
    }

    public static String active(long expiresAt, String clientId, String audience) {
        return "{\"active\":true,\"iss\":\"" + ISSUER + "\",\"aud\":\"" + audience + "\",\"typ\":\"Bearer\","
                + "\"sub\":\"user-id\",\"username\":\"alice\",\"client_id\":\"" + clientId + "\",\"scope\":\"mcp:tools\",\"exp\":"
                + expiresAt + "}";
    }

    /** The claims of an access token Keycloak would issue for this server, valid for an hour; each with its own id. */
    public static JWTClaimsSet.Builder accessTokenClaims() {
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
    public static String token() {
        return sign(accessTokenClaims().build(), REALM_KEY, JWSAlgorithm.RS256);
    }

    public static String token(String audience) {
        return sign(accessTokenClaims().audience(audience).build(), REALM_KEY, JWSAlgorithm.RS256);
    }

    public static String sign(JWTClaimsSet claims, JWK key, JWSAlgorithm algorithm) {
        return sign(claims, key, new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(com.nimbusds.jose.JOSEObjectType.JWT).build());
    }

    public static String sign(JWTClaimsSet claims, JWK key, JWSHeader header) {
        try {
            JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAKey rsaKey(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey ecKey(String keyId) {
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
