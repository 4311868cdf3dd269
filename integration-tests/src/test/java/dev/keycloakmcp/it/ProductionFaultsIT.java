package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.KeycloakNode;
import dev.keycloakmcp.it.support.McpHttp;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpToolCalls;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.it.support.ProductionDeployment;
import dev.keycloakmcp.it.support.ProductionStackTest;

/**
 * Nodes dying and coming back under an MCP client: a node killed ({@code SIGKILL}) mid-flow, both nodes down, and a
 * rolling restart. What a user granted (client, consent, sessions, refresh tokens) lives in the database and the
 * cluster's replicated caches, so it outlives any node.
 */
@ProductionStackTest
class ProductionFaultsIT {

    private static ProductionDeployment deployment;

    @AfterEach
    void bothNodesBack() throws Exception {
        deployment.stack.restoreCluster();
    }

    @Test
    void survivorFinishesExchangeAndRefreshOfAKilledNode() throws Exception {
        McpOAuthClient client = McpOAuthClient.register(deployment.metadata(), McpOAuthClient.typicalRegistration("Survives a node"));
        Pkce pkce = Pkce.create();
        String code = client.signInAndConsent(client.authorizationRequest(pkce, deployment.mcpUrl()), "alice", "alice");
        KeycloakNode issuedTheCode = answeredLast(client.http);
        issuedTheCode.kill();
        // The exchange goes to the killed node first: nginx finds its port closed and sends the request on to the
        // survivor, where the code is (the cluster's replicated cache).
        nextRequestGoesTo(issuedTheCode);
        HttpResponse<String> tokens = client.exchange(code, pkce.verifier(), deployment.mcpUrl());
        assertEquals(200, tokens.statusCode(), tokens::body);
        assertTriedTheKilledNodeFirst(tokens, issuedTheCode);
        String accessToken = (String) Json.object(tokens.body()).get("access_token");
        assertTrue(McpToolCalls.callText(deployment.mcpUrl(), accessToken, "whoami", Map.of()).contains("alice"));

        // The killed node restarts (as a supervisor would restart it, still in the proxy) and rejoins the cluster.
        // While it starts it answers 503; the proxy sends GETs on to the survivor (proxy_next_upstream http_503).
        try (MetadataReader reader = MetadataReader.start()) {
            issuedTheCode.start();
            issuedTheCode.awaitReady(2);
            reader.assertNoneFailed("the killed node's restart");
        }
        for (KeycloakNode node : deployment.stack.nodes()) {
            assertEquals(2, node.clusterSize().orElseThrow(), node.name() + " sees a cluster of two");
        }
        // nginx skips a node for some seconds after it failed a request (the restart's 503s): start from a clean slate.
        deployment.stack.restoreCluster();

        // Tokens from one node, that node killed, the refresh on the survivor (a second sign-in, in a new browser).
        McpOAuthClient again = McpOAuthClient.registered(client.metadata, client.registration, client.redirectUri);
        Pkce second = Pkce.create();
        String secondCode = again.signInAndConsent(again.authorizationRequest(second, deployment.mcpUrl()), "alice", "alice");
        HttpResponse<String> secondTokens = again.exchange(secondCode, second.verifier(), deployment.mcpUrl());
        assertEquals(200, secondTokens.statusCode(), secondTokens::body);
        KeycloakNode issuedTheTokens = deployment.stack.nodeAt(secondTokens.headers().firstValue("X-Upstream").orElseThrow());
        issuedTheTokens.kill();
        nextRequestGoesTo(issuedTheTokens);
        HttpResponse<String> refreshed = again.refresh((String) Json.object(secondTokens.body()).get("refresh_token"), deployment.mcpUrl());
        assertEquals(200, refreshed.statusCode(), refreshed::body);
        assertTriedTheKilledNodeFirst(refreshed, issuedTheTokens);
        assertEquals(List.of(deployment.mcpUrl()), AccessTokens.audience((String) Json.object(refreshed.body()).get("access_token")));
    }

    @Test
    void bothNodesDownMeans503ThenRecovery() throws Exception {
        McpOAuthClient client = McpOAuthClient.register(deployment.metadata(), McpOAuthClient.typicalRegistration("Outlives an outage"));
        Map<String, Object> tokens = client.tokensFor(deployment.mcpUrl(), "alice", "alice");
        String accessToken = (String) tokens.get("access_token");
        String userId = (String) AccessTokens.claims(accessToken).get("sub");

        for (KeycloakNode node : deployment.stack.nodes()) {
            node.kill();
        }
        // The MCP server cannot introspect a token it has not seen: it must not let it in, nor call it invalid.
        HttpResponse<String> during = mcpInitialize(accessToken);
        assertEquals(503, during.statusCode(), during::body);
        assertTrue(during.headers().firstValue("Retry-After").isPresent());

        deployment.stack.restoreCluster();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        HttpResponse<String> after = mcpInitialize(accessToken);
        while (after.statusCode() != 200 && Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
            after = mcpInitialize(accessToken);
        }
        assertEquals(200, after.statusCode(), "the MCP server accepts the token again by itself");

        // Nothing the user granted is lost: the refresh token, the session and the consent outlived both nodes.
        HttpResponse<String> refreshed = client.refresh((String) tokens.get("refresh_token"), deployment.mcpUrl());
        assertEquals(200, refreshed.statusCode(), refreshed::body);
        assertTrue(consentedClients(userId).contains(client.clientId), "alice's consent is kept");
    }

    @Test
    void aRollingRestartKeepsClientsConsentsAndTokens() throws Exception {
        McpOAuthClient client = McpOAuthClient.register(deployment.metadata(), McpOAuthClient.typicalRegistration("Outlives a rolling restart"));
        Map<String, Object> tokens = client.tokensFor(deployment.mcpUrl(), "alice", "alice");
        String userId = (String) AccessTokens.claims((String) tokens.get("access_token")).get("sub");

        // Someone keeps reading the metadata through the proxy while the nodes restart one after the other, each
        // taken out of the proxy first and put back once ready (the guide's upgrade procedure).
        try (MetadataReader reader = MetadataReader.start()) {
            for (KeycloakNode node : deployment.stack.nodes()) {
                deployment.stack.restartGracefully(node);
            }
            reader.assertNoneFailed("the rolling restart");
        }

        HttpResponse<String> refreshed = client.refresh((String) tokens.get("refresh_token"), deployment.mcpUrl());
        assertEquals(200, refreshed.statusCode(), refreshed::body);
        String accessToken = (String) Json.object(refreshed.body()).get("access_token");
        assertTrue(McpToolCalls.callText(deployment.mcpUrl(), accessToken, "whoami", Map.of()).contains("alice"));
        assertTrue(consentedClients(userId).contains(client.clientId), "alice's consent is kept");
    }

    /** Reads the authorization server metadata through the proxy, over and over, counting what did not get a 200. */
    private static final class MetadataReader implements AutoCloseable {

        private final AtomicBoolean reading = new AtomicBoolean(true);
        private final AtomicInteger requests = new AtomicInteger();
        private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread thread = new Thread(this::read, "metadata-reader");

        static MetadataReader start() {
            MetadataReader reader = new MetadataReader();
            reader.thread.start();
            return reader;
        }

        private void read() {
            Http http = new Http();
            while (reading.get()) {
                requests.incrementAndGet();
                try {
                    HttpResponse<String> response = http.get(deployment.metadataUrl());
                    if (response.statusCode() != 200) {
                        failures.add(response.statusCode() + " from " + response.headers().firstValue("X-Upstream").orElse("?"));
                    }
                } catch (RuntimeException e) {
                    failures.add(e.toString());
                }
            }
        }

        void assertNoneFailed(String during) throws InterruptedException {
            close();
            System.out.printf("[%s] %d metadata requests through the proxy, %d failed%n", during, requests.get(), failures.size());
            assertEquals(List.of(), failures.stream().distinct().toList(), failures.size() + " of " + requests.get() + " failed during " + during);
        }

        @Override
        public void close() throws InterruptedException {
            reading.set(false);
            thread.join();
        }
    }

    /**
     * nginx alternates the nodes: the last request went to {@code killed}; one request to the survivor makes the next
     * one go to {@code killed} again (nginx has not tried it since it died, so it does not know yet).
     */
    private static void nextRequestGoesTo(KeycloakNode killed) {
        HttpResponse<String> probe = new Http().get(deployment.metadataUrl());
        assertEquals(200, probe.statusCode());
        assertTrue(deployment.stack.nodeAt(probe.headers().firstValue("X-Upstream").orElseThrow()) != killed, "the probe went to the survivor");
    }

    /** nginx's X-Upstream lists the nodes it tried: the killed one (refused), then the survivor (answered). */
    private static void assertTriedTheKilledNodeFirst(HttpResponse<String> response, KeycloakNode killed) {
        String upstream = response.headers().firstValue("X-Upstream").orElseThrow();
        assertEquals(2, upstream.split(",").length, upstream);
        assertEquals(killed.httpPort(), Integer.parseInt(upstream.split(",")[0].trim().replaceAll(".*:", "")), upstream);
    }

    private static KeycloakNode answeredLast(Http agent) {
        List<HttpResponse<String>> history = agent.history();
        return deployment.stack.nodeAt(history.get(history.size() - 1).headers().firstValue("X-Upstream").orElseThrow());
    }

    private static HttpResponse<String> mcpInitialize(String accessToken) {
        return new Http().postJson(deployment.mcpUrl(), McpHttp.initializeRequest(), "Accept", McpHttp.ACCEPT,
                "Authorization", "Bearer " + accessToken);
    }

    private static List<String> consentedClients(String userId) {
        return deployment.admin.realm().users().get(userId).getConsents().stream()
                .map(consent -> (String) consent.get("clientId")).toList();
    }
}
