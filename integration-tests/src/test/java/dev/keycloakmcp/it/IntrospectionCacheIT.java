package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.keycloakmcp.it.support.IntrospectionRelay;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.McpHttp;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.sample.McpSampleServer;

/**
 * The sample server's introspection cache and its behaviour when Keycloak is slow or down, against the real
 * Keycloak. Each test starts its own instance of the sample server (same canonical URL as the stack's, another
 * port) whose introspection calls go through an {@link IntrospectionRelay} that counts them and plays outages.
 */
@McpStackTest
class IntrospectionCacheIT {

    private static McpStack stack;

    /** A sample server instance with the given settings, introspecting through {@code relay}. */
    private static McpSampleServer server(IntrospectionRelay relay, Map<String, String> settings) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(settings);
        env.put("MCP_INTROSPECTION_URL", relay.uri().toString());
        return McpSampleServer.start(McpStack.sampleConfig(stack.keycloak, stack.mcpUrl(), KeycloakDistribution.freePort(), env));
    }

    private static IntrospectionRelay relay() throws Exception {
        return new IntrospectionRelay(URI.create(stack.issuer() + "/protocol/openid-connect/token/introspect"));
    }

    private static String url(McpSampleServer server) {
        return "http://localhost:" + server.port() + "/mcp";
    }

    private static String token() {
        return (String) McpOAuthClient.register(stack, "Introspection IT").tokensFor(stack.mcpUrl(), "alice", "alice").get("access_token");
    }

    private static int status(McpSampleServer server, String token) {
        return new McpHttp(url(server)).post(token, null, McpHttp.initializeRequest()).statusCode();
    }

    @Test
    void concurrentCallersCauseOneIntrospection() throws Exception {
        try (IntrospectionRelay relay = relay(); McpSampleServer server = server(relay, Map.of())) {
            String token = token();
            relay.delay(Duration.ofMillis(500));
            int before = relay.calls();
            ExecutorService callers = Executors.newFixedThreadPool(64);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> statuses = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    statuses.add(callers.submit(() -> {
                        start.await();
                        return status(server, token);
                    }));
                }
                start.countDown();
                for (Future<Integer> status : statuses) {
                    assertEquals(200, status.get());
                }
            } finally {
                callers.shutdownNow();
            }
            assertEquals(1, relay.calls() - before, "64 concurrent requests with one token, one introspection");
            assertEquals(200, status(server, token));
            assertEquals(1, relay.calls() - before, "later requests are answered from the cache");
        }
    }

    @Test
    void revokedTokenStopsWorkingWithinTheCacheMaximum() throws Exception {
        try (IntrospectionRelay relay = relay(); McpSampleServer server = server(relay, Map.of("MCP_TOKEN_CACHE_SECONDS", "2"))) {
            McpOAuthClient client = McpOAuthClient.register(stack, "Revoking client");
            String token = (String) client.tokensFor(stack.mcpUrl(), "alice", "alice").get("access_token");
            assertEquals(200, status(server, token));

            HttpResponse<String> revoked = client.http.postForm(stack.issuer() + "/protocol/openid-connect/revoke",
                    Map.of("token", token, "token_type_hint", "access_token", "client_id", client.clientId));
            assertEquals(200, revoked.statusCode(), revoked::body);

            Thread.sleep(2500);
            assertEquals(401, status(server, token), "refused once the cache maximum (2 s) has passed");
        }
    }

    @Test
    void keycloakDownServesOnlyCachedTokensThenRecovers() throws Exception {
        try (IntrospectionRelay relay = relay(); McpSampleServer server = server(relay, Map.of("MCP_TOKEN_CACHE_SECONDS", "60"))) {
            String cached = token();
            String fresh = token();
            assertEquals(200, status(server, cached));

            relay.stop();
            PrintStream originalErr = System.err;
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            HttpResponse<String> unavailable;
            try {
                System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
                unavailable = new McpHttp(url(server)).post(fresh, null, McpHttp.initializeRequest());
            } finally {
                System.setErr(originalErr);
            }
            assertEquals(503, unavailable.statusCode(), unavailable::body);
            assertTrue(unavailable.headers().firstValue("Retry-After").isPresent());
            String logged = log.toString(StandardCharsets.UTF_8);
            assertTrue(logged.contains("Refusing an MCP request with 503"), logged);
            assertFalse(logged.contains(fresh), "the token is never logged");
            assertEquals(200, status(server, cached), "a valid cached answer still serves");

            relay.start();
            assertEquals(200, status(server, fresh), "recovered without a restart");
        }
    }

    @Test
    void slowKeycloakMeans503WithinTheTimeoutNotAHang() throws Exception {
        try (IntrospectionRelay relay = relay();
                McpSampleServer server = server(relay, Map.of("MCP_INTROSPECTION_TIMEOUT_MS", "1000"))) {
            String token = token();
            relay.delay(Duration.ofSeconds(6));
            long started = System.nanoTime();
            assertEquals(503, status(server, token));
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0, "answered before Keycloak did");
            relay.delay(Duration.ZERO);
            assertEquals(200, status(server, token));
        }
    }

    @Test
    void wrongSettingsStopTheServerWithAClearMessage() throws Exception {
        Map<String, Map<String, String>> wrong = Map.of(
                "MCP_CLIENT_SECRET", Map.of("MCP_CLIENT_SECRET", "wrong-secret"),
                "MCP_ISSUER", Map.of("MCP_ISSUER", stack.keycloak.issuer("no-such-realm")));
        for (Map.Entry<String, Map<String, String>> setting : wrong.entrySet()) {
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> McpSampleServer.start(
                    McpStack.sampleConfig(stack.keycloak, stack.mcpUrl(), KeycloakDistribution.freePort(), setting.getValue())));
            assertTrue(error.getMessage().contains(setting.getKey()), error.getMessage());
        }
    }
}
