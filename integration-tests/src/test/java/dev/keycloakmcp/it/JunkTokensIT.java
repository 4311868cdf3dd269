package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentRepresentation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import dev.keycloakmcp.it.support.IntrospectionRelay;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.McpHttp;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.sample.McpSampleServer;

/**
 * Made-up tokens against the real Keycloak: the sample server refuses them by itself (401) without asking Keycloak,
 * so that a flood of them cannot shut out a client with a new valid token, and it picks up keys rotated in Keycloak.
 * Each test starts its own sample server whose introspection calls and key fetches go through an
 * {@link IntrospectionRelay} that counts them.
 */
@McpStackTest
class JunkTokensIT {

    private static final int FLOOD_REQUESTS = 800;
    private static final int FLOOD_CONCURRENCY = 200;
    /** Bound on the flood, should the valid request never be answered. */
    private static final int FLOOD_MAX_REQUESTS = 8000;

    private static McpStack stack;
    private static RSAKey attackerKey;

    @BeforeAll
    static void setUp() throws JOSEException {
        attackerKey = new RSAKeyGenerator(2048).keyID("attacker").generate();
    }

    private static IntrospectionRelay relay() throws Exception {
        return new IntrospectionRelay(URI.create(stack.issuer() + "/protocol/openid-connect/token/introspect"),
                URI.create(stack.issuer() + "/protocol/openid-connect/certs"));
    }

    private static McpSampleServer server(IntrospectionRelay relay, Map<String, String> settings) throws Exception {
        Map<String, String> env = new HashMap<>(settings);
        env.put("MCP_INTROSPECTION_URL", relay.uri().toString());
        env.put("MCP_JWKS_URL", relay.keysUri().toString());
        return McpSampleServer.start(McpStack.sampleConfig(stack.keycloak, stack.mcpUrl(), KeycloakDistribution.freePort(), env));
    }

    private static String url(McpSampleServer server) {
        return "http://localhost:" + server.port() + "/mcp";
    }

    private static Map<String, Object> tokens() {
        return McpOAuthClient.register(stack, "Junk tokens IT").tokensFor(stack.mcpUrl(), "alice", "alice");
    }

    private static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    private static String sign(JWTClaimsSet claims, String keyId) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims);
        jwt.sign(new RSASSASigner(attackerKey));
        return jwt.serialize();
    }

    /** Like the flood in the security review: a JWT-shaped header with a random key id, random payload and signature. */
    private static String randomJwt() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] payload = new byte[300];
        byte[] signature = new byte[256];
        random.nextBytes(payload);
        random.nextBytes(signature);
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + Long.toHexString(random.nextLong()) + "\"}";
        return base64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + base64.encodeToString(payload) + "."
                + base64.encodeToString(signature);
    }

    @Test
    void junkTokensAreRefusedWithoutAskingKeycloak() throws Exception {
        // No refetch of the keys within the test: an unknown key id after the first is refused without one.
        try (IntrospectionRelay relay = relay(); McpSampleServer server = server(relay, Map.of("MCP_JWKS_REFETCH_SECONDS", "3600"))) {
            Map<String, Object> tokens = tokens();
            String valid = (String) tokens.get("access_token");
            String realmKeyId = SignedJWT.parse(valid).getHeader().getKeyID();
            JWTClaimsSet claims = claims(valid);
            JWTClaimsSet escalated = new JWTClaimsSet.Builder(claims).claim("scope", "mcp:tools mcp:tools:write").build();
            String[] parts = valid.split("\\.");

            String otherServer = "http://localhost:" + KeycloakDistribution.freePort() + "/mcp";
            stack.admin.registerMcpServer(otherServer);
            String forOtherServer = (String) McpOAuthClient.register(stack, "Junk tokens IT").tokensFor(otherServer, "alice", "alice")
                    .get("access_token");
            SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(realmKeyId).build(), claims);
            hmac.sign(new MACSigner(new byte[32]));

            Map<String, String> junk = new java.util.LinkedHashMap<>();
            junk.put("random eyJ...", randomJwt());
            junk.put("signed by another key under the realm's key id", sign(claims, realmKeyId));
            junk.put("signed by another key under its own key id", sign(claims, "attacker"));
            junk.put("signed by another key under a random key id", sign(claims, UUID.randomUUID().toString()));
            junk.put("Keycloak's token with a scope added", parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(escalated.toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
            junk.put("HS256", hmac.serialize());
            junk.put("alg none", new PlainJWT(claims).serialize());
            junk.put("Keycloak's token for another MCP server", forOtherServer);
            junk.put("Keycloak's refresh token", (String) tokens.get("refresh_token"));
            McpHttp mcp = new McpHttp(url(server));
            // From here: the server's own startup check introspected a dummy token.
            int introspections = relay.calls();
            int keyFetches = relay.keyFetches();
            for (Map.Entry<String, String> token : junk.entrySet()) {
                HttpResponse<String> response = mcp.post(token.getValue(), null, McpHttp.initializeRequest());
                assertEquals(401, response.statusCode(), token.getKey());
                assertEquals("invalid_token", McpHttp.challenge(response).get("error"), token.getKey());
            }
            assertEquals(introspections, relay.calls(), "no introspection for any of them");
            assertEquals(1, relay.keyFetches() - keyFetches, "unknown key ids: the realm's keys fetched once");

            assertEquals(200, mcp.post(valid, null, McpHttp.initializeRequest()).statusCode());
            assertEquals(introspections + 1, relay.calls(), "the valid token is introspected");
        }
    }

    @Test
    void aNewValidTokenGetsInDuringAFloodOfJunk() throws Exception {
        // No refetch of the keys within the test: every random key id after the first is refused without one.
        try (IntrospectionRelay relay = relay(); McpSampleServer server = server(relay, Map.of("MCP_JWKS_REFETCH_SECONDS", "3600"))) {
            String valid = (String) tokens().get("access_token");
            JWTClaimsSet claims = claims(valid);
            List<String> forged = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                forged.add(sign(new JWTClaimsSet.Builder(claims).jwtID(UUID.randomUUID().toString()).build(), UUID.randomUUID().toString()));
            }
            // Keycloak answers slowly: a flood that reached it would hold every introspection the server may have in flight.
            relay.delay(Duration.ofMillis(200));
            int introspections = relay.calls();
            int keyFetchesBefore = relay.keyFetches();

            ExecutorService threads = Executors.newFixedThreadPool(FLOOD_CONCURRENCY);
            HttpClient http = HttpClient.newHttpClient();
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger answered = new AtomicInteger();
            AtomicBoolean validAnswered = new AtomicBoolean();
            CountDownLatch quarter = new CountDownLatch(1);
            try {
                List<Future<Map<Integer, Integer>>> flooders = new ArrayList<>();
                for (int i = 0; i < FLOOD_CONCURRENCY; i++) {
                    flooders.add(threads.submit(() -> {
                        Map<Integer, Integer> statuses = new HashMap<>();
                        // At least the flood's size, and on until the valid request has its answer.
                        for (int n = sent.getAndIncrement(); (n < FLOOD_REQUESTS || !validAnswered.get()) && n < FLOOD_MAX_REQUESTS;
                                n = sent.getAndIncrement()) {
                            String junk = n % 2 == 0 ? randomJwt() : forged.get(n % forged.size());
                            statuses.merge(send(http, url(server), junk), 1, Integer::sum);
                            if (answered.incrementAndGet() == FLOOD_REQUESTS / 4) {
                                quarter.countDown();
                            }
                        }
                        return statuses;
                    }));
                }
                quarter.await();
                int validStatus = send(http, url(server), valid);
                validAnswered.set(true);
                Map<Integer, Integer> junkStatuses = new HashMap<>();
                for (Future<Map<Integer, Integer>> flooder : flooders) {
                    flooder.get().forEach((status, count) -> junkStatuses.merge(status, count, Integer::sum));
                }
                assertNotEquals(FLOOD_MAX_REQUESTS, answered.get(), "the flood was still on when the valid request was answered");
                assertEquals(200, validStatus, "a new valid token sent during the flood; junk answers: " + junkStatuses);
                assertEquals(Map.of(401, answered.get()), junkStatuses, "every made-up token refused as invalid, none with 503");
                assertEquals(introspections + 1, relay.calls(), "only the valid token was introspected");
                assertEquals(1, relay.keyFetches() - keyFetchesBefore, "random key ids: one fetch of the realm's keys");
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void aKeyRotatedInKeycloakIsPickedUp() throws Exception {
        RealmResource realm = stack.admin.realm();
        String name = "rotated-" + UUID.randomUUID();
        ComponentRepresentation component = new ComponentRepresentation();
        component.setName(name);
        component.setProviderId("rsa-generated");
        component.setProviderType("org.keycloak.keys.KeyProvider");
        component.setParentId(realm.toRepresentation().getId());
        component.setConfig(new MultivaluedHashMap<>(Map.of("priority", List.of("1000"), "keySize", List.of("2048"), "algorithm", List.of("RS256"))));
        try (IntrospectionRelay relay = relay(); McpSampleServer server = server(relay, Map.of())) {
            String before = (String) tokens().get("access_token");
            McpHttp mcp = new McpHttp(url(server));
            assertEquals(200, mcp.post(before, null, McpHttp.initializeRequest()).statusCode());
            int keyFetches = relay.keyFetches();

            try (Response added = realm.components().add(component)) {
                assertEquals(201, added.getStatus());
            }
            String after = (String) tokens().get("access_token");
            assertNotEquals(SignedJWT.parse(before).getHeader().getKeyID(), SignedJWT.parse(after).getHeader().getKeyID(),
                    "Keycloak signs with the new key");
            assertEquals(200, mcp.post(after, null, McpHttp.initializeRequest()).statusCode(), "the new key is fetched and used");
            assertEquals(1, relay.keyFetches() - keyFetches);
        } finally {
            for (ComponentRepresentation added : realm.components().query(null, null, name)) {
                realm.components().component(added.getId()).remove();
            }
        }
    }

    private static int send(HttpClient http, String url, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("Accept", McpHttp.ACCEPT)
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(McpHttp.initializeRequest()))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
