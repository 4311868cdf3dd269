package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.keycloakmcp.it.fixtures.ClientDocuments;
import dev.keycloakmcp.it.fixtures.ClientDocuments.ClientDocument;
import dev.keycloakmcp.it.pages.HttpSignInPage;
import dev.keycloakmcp.it.support.DocumentServer;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.KeycloakNode;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.it.support.ProductionDeployment;
import dev.keycloakmcp.it.support.ProductionStackTest;

/**
 * The pack's promises that only a cluster can break: the registration rate limit, the metadata-document creation
 * claim, the MCP-client cap and the reaper, with requests sent to both nodes at once.
 */
@ProductionStackTest
class ProductionClusterIT {

    private static ProductionDeployment deployment;

    private static String registrationEndpoint(String base) {
        return base + "/realms/mcp/clients-registrations/mcp";
    }

    private static HttpResponse<String> register(String base, String name, String... headers) {
        return new Http().postJson(registrationEndpoint(base), Json.write(McpOAuthClient.typicalRegistration(name)), headers);
    }

    /** The limit counts per clock minute: a test that must stay in one minute starts at the beginning of one. */
    private static void startOfAMinute() throws InterruptedException {
        long secondOfMinute = Instant.now().getEpochSecond() % 60;
        if (secondOfMinute > 40) {
            Thread.sleep((60 - secondOfMinute) * 1000 + 200);
        }
    }

    @Test
    void registrationLimitHoldsAcrossNodes() throws InterruptedException {
        // Both nodes take the client's address from X-Forwarded-For (the proxy's address is trusted): one made-up address.
        String address = "203.0.113." + (1 + (int) (Math.random() * 250));
        deployment.admin.setRegistrationPolicy("registrations-per-minute", "4");
        try {
            KeycloakNode first = deployment.stack.node(1);
            KeycloakNode second = deployment.stack.node(2);
            startOfAMinute();
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = register(first.httpUrl(), "Limited " + i, "X-Forwarded-For", address);
                assertEquals(201, response.statusCode(), response::body);
            }
            HttpResponse<String> refused = register(first.httpUrl(), "Limited 5", "X-Forwarded-For", address);
            assertEquals(429, refused.statusCode(), refused::body);
            HttpResponse<String> onTheOtherNode = register(second.httpUrl(), "Limited elsewhere", "X-Forwarded-For", address);
            assertEquals(429, onTheOtherNode.statusCode(), onTheOtherNode::body);
            assertEquals("temporarily_unavailable", Json.object(onTheOtherNode.body()).get("error"));
            assertTrue(onTheOtherNode.headers().firstValue("Retry-After").isPresent());
            // Another address is not affected, on either node.
            assertEquals(201, register(second.httpUrl(), "Someone else", "X-Forwarded-For", "198.51.100.7").statusCode());
        } finally {
            deployment.admin.setRegistrationPolicy("registrations-per-minute", "0");
        }
    }

    @Test
    void spoofedAddressThroughTheProxyStillMeetsTheLimit() throws InterruptedException {
        deployment.admin.setRegistrationPolicy("registrations-per-minute", "3");
        try {
            // What the guide's proxy sets (X-Forwarded-For $remote_addr) wins over what the client sends. (This test
            // is the only one registering through the proxy with the limit on, in this minute.)
            startOfAMinute();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                statuses.add(register(deployment.stack.baseUrl(), "Spoofer " + i, "X-Forwarded-For", "10.9.9." + i).statusCode());
            }
            assertEquals(List.of(201, 201, 201, 429, 429), statuses);
        } finally {
            deployment.admin.setRegistrationPolicy("registrations-per-minute", "0");
        }
    }

    @Test
    void documentOnBothNodesAtOnceMakesOneClient() throws Exception {
        ClientDocument shape = ClientDocuments.vsCode();
        // A slow document host: the first request holds the creation claim while the other arrives on the other node.
        String documentUrl = deployment.documents.publish(shape.document(),
                body -> DocumentServer.Answer.json(body).delayedBy(Duration.ofMillis(1500)));
        String path = URI.create(documentUrl).getRawPath();
        Map<String, Object> metadata = deployment.metadata();
        McpOAuthClient client = McpOAuthClient.identifiedByDocument(metadata, documentUrl, shape.redirectUri());
        String query = Http.form(client.authorizationRequest(Pkce.create(), deployment.mcpUrl()));

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (KeycloakNode node : deployment.stack.nodes()) {
                Callable<HttpResponse<String>> authorize = () -> {
                    start.await();
                    return new Http().get(node.httpUrl() + "/realms/mcp/protocol/openid-connect/auth?" + query);
                };
                answers.add(pool.submit(authorize));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                statuses.add(answer.get().statusCode());
            }
            statuses.sort(null);
            // One request made the client and shows the sign-in page; the other was told to try again in a moment.
            assertEquals(List.of(200, 409), statuses);
            HttpResponse<String> conflict = answers.stream().map(ProductionClusterIT::join).filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
            assertTrue(conflict.body().contains("try again in a moment"), conflict::body);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, deployment.documents.fetches(path), "one fetch");
        assertEquals(1, deployment.admin.clients().stream().filter(c -> documentUrl.equals(c.getClientId())).count(), "one client");
        // The next attempt works, on either node, without another fetch.
        for (KeycloakNode node : deployment.stack.nodes()) {
            HttpResponse<String> again = new Http().get(node.httpUrl() + "/realms/mcp/protocol/openid-connect/auth?" + query);
            assertEquals(200, again.statusCode(), again::body);
            assertTrue(HttpSignInPage.isShownBy(again));
        }
        assertEquals(1, deployment.documents.fetches(path));
    }

    private static HttpResponse<String> join(Future<HttpResponse<String>> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The cap is counted from the database before each registration: registrations in flight on both nodes at once
     * can each see room for one more. The overshoot is at most the registrations in flight, less one.
     */
    @Test
    void clientCapHoldsUnderConcurrentRegistrations() throws Exception {
        int before = selfRegisteredClients();
        int room = 10;
        int threadsPerNode = 4;
        int attempts = 40;
        deployment.admin.setRegistrationPolicy("max-mcp-clients", String.valueOf(before + room));
        try {
            ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerNode);
            List<Future<Integer>> statuses = new ArrayList<>();
            try {
                for (int i = 0; i < attempts; i++) {
                    KeycloakNode node = deployment.stack.node(1 + i % 2);
                    String name = "Capped " + i + " " + UUID.randomUUID();
                    statuses.add(pool.submit(() -> register(node.httpUrl(), name).statusCode()));
                }
                int created = 0;
                for (Future<Integer> status : statuses) {
                    int code = status.get();
                    assertTrue(code == 201 || code == 403, "201 or 403 insufficient_scope, got " + code);
                    created += code == 201 ? 1 : 0;
                }
                int overshoot = created - room;
                System.out.printf("[cap] cap %d, room %d, %d concurrent registrations (%d in flight): %d created, overshoot %d%n",
                        before + room, room, attempts, 2 * threadsPerNode, created, overshoot);
                assertTrue(created >= room, "the cap leaves room for " + room + ", created " + created);
                assertTrue(overshoot <= 2 * threadsPerNode - 1, "overshoot " + overshoot);
                assertEquals(before + created, selfRegisteredClients());
            } finally {
                pool.shutdownNow();
            }
            // Once reached, it holds on both nodes.
            for (KeycloakNode node : deployment.stack.nodes()) {
                HttpResponse<String> refused = register(node.httpUrl(), "One too many");
                assertEquals(403, refused.statusCode(), refused::body);
                assertEquals("insufficient_scope", Json.object(refused.body()).get("error"));
            }
        } finally {
            deployment.admin.setRegistrationPolicy("max-mcp-clients", "1000");
        }
    }

    private static int selfRegisteredClients() {
        return (int) deployment.admin.clients().stream().filter(c -> {
            String kind = c.getAttributes() == null ? null : c.getAttributes().get("mcp.client");
            return "dynamic".equals(kind) || "metadata-document".equals(kind);
        }).count();
    }

    @Test
    void reaperRunsOncePerIntervalAcrossTheCluster() throws Exception {
        List<String> idle = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> registered = register(deployment.stack.baseUrl(), "Idle on a cluster " + i);
            assertEquals(201, registered.statusCode(), registered::body);
            idle.add((String) Json.object(registered.body()).get("client_id"));
        }
        int interval = ProductionDeployment.REAPER_INTERVAL_SECONDS;
        int runsBefore = reaperRuns();
        Instant watchStart = Instant.now();
        deployment.admin.setRegistrationPolicy("unused-client-lifespan", "2");
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (idle.stream().anyMatch(id -> deployment.admin.client(id).isPresent()) && Instant.now().isBefore(deadline)) {
                Thread.sleep(500);
            }
            idle.forEach(id -> assertTrue(deployment.admin.client(id).isEmpty(), id + " is removed"));
            // Watch whole intervals: each node's timer fires every interval; only one of them may run.
            Thread.sleep(Duration.ofSeconds(5L * interval).toMillis());
        } finally {
            deployment.admin.setRegistrationPolicy("unused-client-lifespan", "2592000");
        }
        double intervals = Duration.between(watchStart, Instant.now()).toMillis() / 1000.0 / interval;
        int runs = reaperRuns() - runsBefore;
        System.out.printf("[reaper] %d runs on two nodes in %.1f intervals%n", runs, intervals);
        assertTrue(runs <= Math.ceil(intervals) + 1, runs + " runs in " + intervals + " intervals");
        assertTrue(runs >= Math.floor(intervals) - 1, runs + " runs in " + intervals + " intervals");

        for (String id : idle) {
            long removals = deployment.admin.events("CLIENT_DELETE").stream()
                    .filter(event -> id.equals(event.getClientId()) && "unused".equals(event.getDetails().get("reason")))
                    .count();
            assertEquals(1, removals, id + " removed once");
            long logLines = deployment.stack.nodes().stream().flatMap(node -> node.logLines().stream())
                    .filter(line -> line.contains("Removing MCP client") && line.contains("(" + id + ")")).count();
            assertEquals(1, logLines, id + " removed by one node");
        }
    }

    private static int reaperRuns() {
        return (int) deployment.stack.nodes().stream().flatMap(node -> node.logLines().stream())
                .filter(line -> line.contains("Looking for unused MCP clients")).count();
    }
}
