package dev.keycloakmcp.sample.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.keycloakmcp.resourceserver.AuthorizationEvents;

/**
 * The sample server's meters, one registry per server (so that servers started side by side in one JVM, as the tests
 * do, count apart), read in Prometheus text format at {@code /metrics} on the metrics port ({@link MetricsServlet}).
 * Every tag has a fixed set of values: tool names, HTTP statuses, OAuth error codes, outcomes; never a token, user or
 * client.
 */
public final class SampleMetrics implements AuthorizationEvents {

    /** The Prometheus text format's content type. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Buckets of the introspection time, around its default timeout (5 s), for {@code histogram_quantile}. */
    private static final Duration[] INTROSPECTION_BUCKETS = {
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Meter.MeterProvider<Counter> toolCalls = Counter.builder("mcp.sample.tool.calls")
            .description("Tool calls that reached a tool, by tool and outcome (ok, error: the tool's own error result, failed: an exception)")
            .withRegistry(registry);
    private final Meter.MeterProvider<Counter> challenges = Counter.builder("mcp.sample.challenges")
            .description("MCP requests refused by the bearer filter with a WWW-Authenticate challenge, by status and error")
            .withRegistry(registry);
    private final Counter unavailable = Counter.builder("mcp.sample.unavailable").baseUnit("responses")
            .description("MCP requests answered 503 because the token could not be verified (Keycloak unreachable, slow or overloaded)")
            .register(registry);
    private final Meter.MeterProvider<Counter> cacheLookups = Counter.builder("mcp.sample.token.cache").baseUnit("lookups")
            .description("Token verifications by whether the introspection cache held an answer (hit) or not (miss)")
            .withRegistry(registry);
    private final Meter.MeterProvider<Timer> introspections = Timer.builder("mcp.sample.introspection")
            .description("Token introspections at Keycloak, by outcome (active, inactive, failed, busy: over the in-flight limit, not sent)")
            .serviceLevelObjectives(INTROSPECTION_BUCKETS)
            .withRegistry(registry);

    private final Meter.MeterProvider<Counter> dpop = Counter.builder("mcp.sample.dpop")
            .description("DPoP decisions of the bearer filter, by outcome (accepted, or why refused: replayed, wrong_url, bound_token_as_bearer, ...)")
            .withRegistry(registry);

    private final Meter.MeterProvider<Counter> tokenExchanges = Counter.builder("mcp.sample.token.exchange")
            .description("Tokens for the downstream API handed to the downstream_profile tool, by outcome (exchanged at Keycloak, "
                    + "cached, or why none: refused, client_rejected, unavailable, not_exchangeable)")
            .withRegistry(registry);

    /** A token for the downstream API was had ({@code exchanged}, {@code cached}) or not (why). */
    public void tokenExchange(String outcome) {
        tokenExchanges.withTags("outcome", outcome).increment();
    }

    /** A call of {@code tool} ended with {@code outcome}: {@code ok}, {@code error} or {@code failed}. */
    public void toolCall(String tool, String outcome) {
        toolCalls.withTags("tool", tool, "outcome", outcome).increment();
    }

    /** A refusal with a challenge; {@code error} is null when no token was presented. */
    @Override
    public void challenge(int status, String error) {
        challenges.withTags("status", String.valueOf(status), "error", error == null ? "" : error).increment();
    }

    @Override
    public void unavailable() {
        unavailable.increment();
    }

    @Override
    public void cacheLookup(boolean hit) {
        cacheLookups.withTags("result", hit ? "hit" : "miss").increment();
    }

    /** An introspection that ended with {@code outcome} after {@code nanos}. */
    @Override
    public void introspection(String outcome, long nanos) {
        introspections.withTags("outcome", outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void dpop(String outcome) {
        dpop.withTags("outcome", outcome).increment();
    }

    /** Every meter in Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }
}
