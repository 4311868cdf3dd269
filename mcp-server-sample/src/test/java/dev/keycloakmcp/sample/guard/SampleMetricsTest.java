package dev.keycloakmcp.sample.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keycloakmcp.resourceserver.StubAuthorizationServer;
import dev.keycloakmcp.sample.McpSampleServer;

/**
 * The sample server's {@code /metrics}: on its own port only (with a resource URL without path, where the MCP servlet
 * answers every path of the MCP port), and counting challenges, introspections and cache lookups.
 * (Tool calls and 503s against the real Keycloak: SampleMetricsIT.)
 */
class SampleMetricsTest {

    private static final long IN_AN_HOUR = Instant.now().getEpochSecond() + 3600;
    private static final String ADD_NOTE = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"add_note\","
            + "\"arguments\":{\"text\":\"X\"}}}";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void metricsAreServedOnTheMetricsPortOnly() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            keycloak.body = StubAuthorizationServer.active(IN_AN_HOUR, "c", "http://localhost:3000");
            var config = SampleStub.config(keycloak, Map.of("MCP_PORT", "0", "MCP_RESOURCE", "http://localhost:3000/", "MCP_METRICS_PORT", "0"));
            try (McpSampleServer server = SampleStub.start(keycloak, config)) {
                int metricsPort = server.metricsPort().orElseThrow();
                assertEquals(401, get(server.port(), "/metrics").statusCode(), "the MCP port's /metrics is the guarded MCP endpoint");
                assertEquals(404, get(metricsPort, "/mcp").statusCode(), "the metrics port serves nothing else");
                HttpResponse<String> metrics = get(metricsPort, "/metrics");
                assertEquals(200, metrics.statusCode());
                assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
                assertEquals(1.0, value(metrics.body(), "mcp_sample_challenges_total{error=\"\",status=\"401\"}"));
            }
        }
    }

    @Test
    void challengesIntrospectionsAndCacheLookupsAreCounted() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            keycloak.body = StubAuthorizationServer.active(IN_AN_HOUR);
            var config = SampleStub.config(keycloak, Map.of("MCP_PORT", "0", "MCP_RESOURCE", StubAuthorizationServer.RESOURCE, "MCP_METRICS_PORT", "0"));
            try (McpSampleServer server = SampleStub.start(keycloak, config)) {
                String token = StubAuthorizationServer.token();
                for (int i = 0; i < 2; i++) {
                    assertEquals(403, post(server.port(), token, ADD_NOTE).statusCode(), "a token with only mcp:tools cannot add a note");
                }
                assertEquals(401, post(server.port(), "not-a-token", ADD_NOTE).statusCode());
                String body = get(server.metricsPort().orElseThrow(), "/metrics").body();
                assertEquals(2.0, value(body, "mcp_sample_challenges_total{error=\"insufficient_scope\",status=\"403\"}"));
                assertEquals(1.0, value(body, "mcp_sample_challenges_total{error=\"invalid_token\",status=\"401\"}"));
                assertEquals(1.0, value(body, "mcp_sample_introspection_seconds_count{outcome=\"active\"}"));
                // The made-up token is refused by the local check: a miss, but no introspection.
                assertEquals(2.0, value(body, "mcp_sample_token_cache_lookups_total{result=\"miss\"}"));
                assertEquals(1.0, value(body, "mcp_sample_token_cache_lookups_total{result=\"hit\"}"));
            }
        }
    }

    @Test
    void withoutAMetricsPortThereIsNone() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            var config = SampleStub.config(keycloak, Map.of("MCP_PORT", "0", "MCP_RESOURCE", StubAuthorizationServer.RESOURCE));
            try (McpSampleServer server = SampleStub.start(keycloak, config)) {
                assertTrue(server.metricsPort().isEmpty());
            }
        }
    }

    /** The value of the sample {@code series} (name and labels as written) in Prometheus text {@code body}. */
    private static double value(String body, String series) {
        return body.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("No " + series + " in:\n" + body));
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
