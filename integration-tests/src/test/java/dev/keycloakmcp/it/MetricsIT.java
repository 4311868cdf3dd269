package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.keycloakmcp.it.fixtures.ClientDocuments;
import dev.keycloakmcp.it.pages.HttpSignInPage;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.IntrospectionRelay;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.McpHttp;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.it.support.PrometheusText;
import dev.keycloakmcp.it.support.ReaperLog;
import dev.keycloakmcp.sample.McpSampleServer;

/**
 * The pack's meters as Prometheus scrapes them from Keycloak's management port ({@code --metrics-enabled=true}), and
 * the sample server's from its metrics port: each test reads the counters before and after what it does and expects
 * exactly its own requests in the difference (the test classes run one after another; other classes leave totals).
 */
@McpStackTest
class MetricsIT {

    private static final String REALM = McpStack.REALM;
    private static final String UNKNOWN_RESOURCE = "https://unknown.example.com/mcp";
    private static final String REGISTRATIONS = "keycloak_mcp_registration_requests_total";
    private static final String REFUSALS = "keycloak_mcp_refused_requests_total";
    private static final String RATE_LIMIT_HITS = "keycloak_mcp_rate_limit_hits_total";
    private static final String REAPED = "keycloak_mcp_reaped_clients_total";
    private static final String FETCHES = "keycloak_mcp_metadata_document_fetch_seconds_count";

    private static McpStack stack;
    /** The first scrape of this class: run alone, before the realm had any rate-limit hit or reaper pass. */
    private static PrometheusText first;
    private final Http http = new Http();

    @BeforeAll
    static void scrapeFirst() {
        first = keycloakMetrics();
    }

    private static PrometheusText keycloakMetrics() {
        return PrometheusText.scrape(stack.keycloak.managementUrl() + "/metrics");
    }

    /** How much the series {@code name} with {@code labels} grew while {@code action} ran. */
    private static double increase(String name, Map<String, String> labels, PrometheusText before, PrometheusText after) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private String registrationEndpoint() {
        return stack.issuer() + "/clients-registrations/mcp";
    }

    /** Listed at 0 from Keycloak's start, for each MCP realm: increase() sees the first event, an alert sees a series. */
    @Test
    void anMcpRealmsSeriesAreListedFromTheStart() {
        for (String name : List.of(RATE_LIMIT_HITS, REAPED)) {
            assertEquals(1, first.matching(name, Map.of("realm", REALM)).size(), name);
        }
        for (String kind : List.of("dynamic", "metadata-document")) {
            assertEquals(1, first.matching(REGISTRATIONS, Map.of("realm", REALM, "kind", kind, "outcome", "registered")).size(), kind);
        }
        assertTrue(first.named(RATE_LIMIT_HITS).stream().noneMatch(series -> series.labels().get("realm").equals("master")),
                "only MCP realms");
    }

    @Test
    void registrationsAndRefusedRegistrationsAreCountedByError() {
        PrometheusText before = keycloakMetrics();
        McpOAuthClient.register(stack, "Metrics IT");
        Map<String, Object> hostile = McpOAuthClient.typicalRegistration("Metrics IT hostile");
        hostile.put("redirect_uris", List.of("http://evil.example.com/cb"));
        HttpResponse<String> refused = http.postJson(registrationEndpoint(), Json.write(hostile));
        assertEquals(400, refused.statusCode(), refused.body());
        PrometheusText after = keycloakMetrics();

        assertEquals(1, increase(REGISTRATIONS, Map.of("realm", REALM, "kind", "dynamic", "outcome", "registered"), before, after));
        assertEquals(1, increase(REGISTRATIONS, Map.of("realm", REALM, "kind", "dynamic", "outcome", "refused",
                "error", "invalid_redirect_uri"), before, after));
        assertEquals(1, increase(REFUSALS, Map.of("realm", REALM, "endpoint", "registration", "error", "invalid_redirect_uri"), before, after));
        assertEquals(0, increase(REFUSALS, Map.of("realm", REALM, "endpoint", "authorization"), before, after));
    }

    /**
     * A self-registered client's missing PKCE is refused by Keycloak's own check first (the client's PKCE setting), so
     * the pack's {@code mcp-pkce} check is seen with a client an admin marked as an MCP client, without that setting.
     */
    @Test
    void pkceAndResourceRefusalsAreCountedByCheck() {
        McpOAuthClient client = McpOAuthClient.register(stack, "Metrics IT");
        String refreshToken = (String) client.tokensFor(stack.mcpUrl(), "alice", "alice").get("refresh_token");
        String preregisteredId = "metrics-preregistered-" + UUID.randomUUID();
        stack.admin.createPublicClient(preregisteredId, McpOAuthClient.REDIRECT_URI, Map.of("mcp.client", "preregistered"));
        McpOAuthClient preregistered = McpOAuthClient.preregistered(stack, preregisteredId);
        PrometheusText before = keycloakMetrics();
        assertEquals("invalid_request", error(preregistered.authorize(preregistered.authorizationRequest(null, stack.mcpUrl()))));
        assertEquals("invalid_target", error(client.authorize(client.authorizationRequest(Pkce.create(), UNKNOWN_RESOURCE))));
        HttpResponse<String> refresh = client.refresh(refreshToken, UNKNOWN_RESOURCE);
        assertEquals(400, refresh.statusCode(), refresh.body());
        assertEquals("invalid_target", Json.object(refresh.body()).get("error"));
        PrometheusText after = keycloakMetrics();

        assertEquals(1, increase(REFUSALS, Map.of("realm", REALM, "endpoint", "authorization", "check", "mcp-pkce",
                "error", "invalid_request"), before, after));
        assertEquals(1, increase(REFUSALS, Map.of("realm", REALM, "endpoint", "authorization", "check", "mcp-resource",
                "error", "invalid_target"), before, after));
        assertEquals(1, increase(REFUSALS, Map.of("realm", REALM, "endpoint", "token", "check", "mcp-resource",
                "error", "invalid_target"), before, after));
        assertEquals(3, increase(REFUSALS, Map.of("realm", REALM), before, after), "nothing else refused");
    }

    private static String error(HttpResponse<String> redirect) {
        return McpOAuthClient.redirectQuery(redirect).get("error");
    }

    @Test
    void metadataDocumentFetchesAreTimedByOutcome() {
        String url = stack.documents.publish(ClientDocuments.vsCode().document());
        String missing = stack.documents.url("/oauth/" + UUID.randomUUID() + "/missing.json");
        PrometheusText before = keycloakMetrics();
        McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, url, "http://127.0.0.1:33418/");
        new HttpSignInPage(client.http, client.authorize(client.authorizationRequest(Pkce.create(), stack.mcpUrl())));
        McpOAuthClient refused = McpOAuthClient.identifiedByDocument(stack, missing, "http://127.0.0.1:33418/");
        int status = refused.authorize(refused.authorizationRequest(Pkce.create(), stack.mcpUrl())).statusCode();
        assertTrue(status >= 400 && status < 500, "a 404 document is an error page: " + status);
        PrometheusText after = keycloakMetrics();

        assertEquals(1, increase(FETCHES, Map.of("outcome", "fetched"), before, after));
        assertEquals(1, increase(FETCHES, Map.of("outcome", "http_status"), before, after));
        assertEquals(1, increase(REGISTRATIONS, Map.of("realm", REALM, "kind", "metadata-document", "outcome", "registered"), before, after));
        assertEquals(1, increase(REGISTRATIONS, Map.of("realm", REALM, "kind", "metadata-document", "outcome", "refused",
                "error", "invalid_client"), before, after));
        assertEquals(1, increase(REFUSALS, Map.of("realm", REALM, "endpoint", "metadata_document", "error", "invalid_client"), before, after));
        // A histogram with a few fixed buckets: histogram_quantile works on it.
        List<PrometheusText.Series> buckets = after.matching("keycloak_mcp_metadata_document_fetch_seconds_bucket", Map.of("outcome", "fetched"));
        assertEquals(List.of("0.05", "0.1", "0.25", "0.5", "1.0", "2.0", "5.0", "10.0", "+Inf"),
                buckets.stream().map(bucket -> bucket.labels().get("le")).toList());
        assertEquals(after.sum(FETCHES, Map.of("outcome", "fetched")), buckets.get(buckets.size() - 1).value());
    }

    @Test
    void rateLimitHitsAreCounted() {
        PrometheusText before = keycloakMetrics();
        int limited = 0;
        stack.admin.setRegistrationPolicy("registrations-per-minute", "1");
        try {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = http.postJson(registrationEndpoint(), Json.write(McpOAuthClient.typicalRegistration("Metrics IT " + i)));
                assertTrue(response.statusCode() == 201 || response.statusCode() == 429, response::body);
                limited += response.statusCode() == 429 ? 1 : 0;
            }
        } finally {
            stack.admin.setRegistrationPolicy("registrations-per-minute", "0");
        }
        PrometheusText after = keycloakMetrics();

        assertTrue(limited >= 2, "one registration a minute: at most one of three passes");
        assertEquals(limited, increase(RATE_LIMIT_HITS, Map.of("realm", REALM), before, after));
        assertEquals(limited, increase(REFUSALS, Map.of("realm", REALM, "endpoint", "registration", "error", "too_many_requests"), before, after));
        assertEquals(limited, increase(REGISTRATIONS, Map.of("realm", REALM, "outcome", "refused", "error", "too_many_requests"), before, after));
    }

    /** The counter grows by what the reaper's passes say they removed (every unused client of the realm, other tests' too). */
    @Test
    void reapedClientsAreCounted() throws Exception {
        McpOAuthClient idle = McpOAuthClient.register(stack, "Metrics IT idle");
        Pattern pass = ReaperLog.passOver(REALM);
        int passesBefore = stack.keycloak.logLines("MCP client reaper: realm").size();
        PrometheusText before = keycloakMetrics();
        Thread.sleep(5000);
        stack.admin.setRegistrationPolicy("unused-client-lifespan", "4");
        try {
            await(() -> stack.admin.client(idle.clientId).isEmpty(), Duration.ofSeconds(30), "the idle client is removed");
        } finally {
            stack.admin.setRegistrationPolicy("unused-client-lifespan", "2592000");
        }
        // The counter is added to right after a pass's log line.
        Supplier<Integer> logged = () -> stack.keycloak.logLines("MCP client reaper: realm").stream().skip(passesBefore)
                .map(pass::matcher).filter(Matcher::find).mapToInt(m -> Integer.parseInt(m.group(1))).sum();
        await(() -> increase(REAPED, Map.of("realm", REALM), before, keycloakMetrics()) == logged.get(), Duration.ofSeconds(10),
                "the reaped counter matches the passes' log lines");
        assertTrue(logged.get() >= 1);
    }

    @Test
    void theSampleServerCountsToolCallsChallengesIntrospectionsAnd503s() throws Exception {
        try (IntrospectionRelay relay = new IntrospectionRelay(URI.create(stack.issuer() + "/protocol/openid-connect/token/introspect"))) {
            Map<String, String> settings = new HashMap<>(Map.of("MCP_INTROSPECTION_URL", relay.uri().toString(),
                    "MCP_METRICS_PORT", String.valueOf(KeycloakDistribution.freePort())));
            try (McpSampleServer server = McpSampleServer.start(McpStack.sampleConfig(stack.keycloak, stack.mcpUrl(),
                    KeycloakDistribution.freePort(), settings))) {
                String metricsUrl = "http://localhost:" + server.metricsPort().orElseThrow() + "/metrics";
                McpOAuthClient client = McpOAuthClient.register(stack, "Metrics IT sample");
                String token = (String) client.tokensFor(stack.mcpUrl(), "alice", "alice").get("access_token");
                McpOAuthClient another = McpOAuthClient.register(stack, "Metrics IT sample, another");
                String later = (String) another.tokensFor(stack.mcpUrl(), "alice", "alice").get("access_token");
                McpHttp mcp = new McpHttp("http://localhost:" + server.port() + "/mcp");

                assertEquals(401, mcp.post(null, null, McpHttp.initializeRequest()).statusCode());
                String session = mcp.initialize(token);
                HttpResponse<String> whoami = mcp.callTool(token, session, "whoami", Map.of());
                assertEquals(200, whoami.statusCode(), whoami.body());
                assertEquals(403, mcp.callTool(token, session, "add_note", Map.of("text", "x")).statusCode());
                relay.stop();
                assertEquals(503, mcp.post(later, null, McpHttp.initializeRequest()).statusCode(), "Keycloak unreachable");

                PrometheusText metrics = PrometheusText.scrape(metricsUrl);
                assertEquals(1, metrics.sum("mcp_sample_tool_calls_total", Map.of("tool", "whoami", "outcome", "ok")));
                assertEquals(0, metrics.sum("mcp_sample_tool_calls_total", Map.of("tool", "add_note")), "refused before the tool");
                assertEquals(1, metrics.sum("mcp_sample_challenges_total", Map.of("status", "401", "error", "")));
                assertEquals(1, metrics.sum("mcp_sample_challenges_total", Map.of("status", "403", "error", "insufficient_scope")));
                assertEquals(1, metrics.sum("mcp_sample_unavailable_responses_total", Map.of()));
                assertEquals(1, metrics.sum("mcp_sample_introspection_seconds_count", Map.of("outcome", "active")));
                assertEquals(1, metrics.sum("mcp_sample_introspection_seconds_count", Map.of("outcome", "failed")));
                // initialize asks, then the initialized notification, whoami and add_note find the answer; the later token misses.
                assertEquals(3, metrics.sum("mcp_sample_token_cache_lookups_total", Map.of("result", "hit")));
                assertEquals(2, metrics.sum("mcp_sample_token_cache_lookups_total", Map.of("result", "miss")));
                assertFalse(metrics.named("mcp_sample_introspection_seconds_bucket").isEmpty(), "introspection times as a histogram");
            }
        }
    }

    private static void await(Supplier<Boolean> condition, Duration bound, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(bound);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Not within " + bound + ": " + what);
            }
            Thread.sleep(500);
        }
    }
}
