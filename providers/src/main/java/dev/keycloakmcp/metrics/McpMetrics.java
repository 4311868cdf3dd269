package dev.keycloakmcp.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

/**
 * The pack's meters, on Keycloak's own registry ({@link Metrics#globalRegistry}): Keycloak exports it at the management
 * port's {@code /metrics} with {@code --metrics-enabled=true}; without it the meters are kept and never read.
 * Named like Keycloak's ({@code keycloak.user} in {@code events}: {@code keycloak_user_events_total}): dot-separated,
 * {@code keycloak.mcp.} prefix, the unit as base unit. Every tag has a fixed set of values (realm names, error codes of
 * {@code Refusal}s and Keycloak's {@code Errors}, the check ids), never a client id, URL, host or address, so that a flood
 * of made-up clients cannot make a series each. Meters are per node; Prometheus sums them over a cluster.
 * <p>
 * A leaf of the pack: it knows no other package, so every capability, {@code core} included, may record here.
 */
public final class McpMetrics {

    /** Where a refusal was answered: the {@code endpoint} tag. */
    public enum Endpoint {
        REGISTRATION("registration"),
        AUTHORIZATION("authorization"),
        TOKEN("token"),
        /** A metadata document's client refused at the authorization endpoint (first use or an expired copy). */
        METADATA_DOCUMENT("metadata_document");

        private final String tag;

        Endpoint(String tag) {
            this.tag = tag;
        }
    }

    static final String REGISTRATIONS = "keycloak.mcp.registration";
    static final String REFUSALS = "keycloak.mcp.refused";
    static final String RATE_LIMIT = "keycloak.mcp.rate.limit";
    static final String REAPED = "keycloak.mcp.reaped";
    static final String DOCUMENT_FETCH = "keycloak.mcp.metadata.document.fetch";

    /**
     * Buckets of the fetch time: enough for {@code histogram_quantile} around the default deadline (5 s) without a
     * full percentile histogram's 70-odd buckets per outcome.
     */
    static final Duration[] FETCH_BUCKETS = {
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private static final Meter.MeterProvider<Counter> REGISTRATION_COUNTER = Counter.builder(REGISTRATIONS).baseUnit("requests")
            .description("New self-registered MCP clients asked for, by outcome: the registration endpoint and first metadata-document authorizations")
            .withRegistry(Metrics.globalRegistry);
    private static final Meter.MeterProvider<Counter> REFUSAL_COUNTER = Counter.builder(REFUSALS).baseUnit("requests")
            .description("Requests the keycloak-mcp pack refused, by endpoint, check and error")
            .withRegistry(Metrics.globalRegistry);
    private static final Meter.MeterProvider<Counter> RATE_LIMIT_COUNTER = Counter.builder(RATE_LIMIT).baseUnit("hits")
            .description("New-MCP-client attempts over the realm's per-address rate limit")
            .withRegistry(Metrics.globalRegistry);
    private static final Meter.MeterProvider<Counter> REAPED_COUNTER = Counter.builder(REAPED).baseUnit("clients")
            .description("Unused self-registered MCP clients removed by the reaper")
            .withRegistry(Metrics.globalRegistry);
    private static final Meter.MeterProvider<Timer> FETCH_TIMER = Timer.builder(DOCUMENT_FETCH)
            .description("Client ID Metadata Document fetches, by outcome")
            .serviceLevelObjectives(FETCH_BUCKETS)
            .withRegistry(Metrics.globalRegistry);

    private McpMetrics() {
    }

    /**
     * Makes the realm's main series exist at 0 before anything happened, so that a scrape lists them from the start
     * and {@code increase()} sees the first event (Prometheus' advice for counters whose labels are known).
     */
    public static void startCounting(String realm) {
        for (String kind : new String[] {"dynamic", "metadata-document"}) {
            REGISTRATION_COUNTER.withTags("realm", realm, "kind", kind, "outcome", "registered", "error", "");
        }
        RATE_LIMIT_COUNTER.withTags("realm", realm);
        REAPED_COUNTER.withTags("realm", realm);
        FETCH_TIMER.withTags("outcome", "fetched");
    }

    /** A new self-registered client of {@code kind} ({@code dynamic}, {@code metadata-document}) was made. */
    public static void registered(String realm, String kind) {
        REGISTRATION_COUNTER.withTags("realm", realm, "kind", kind, "outcome", "registered", "error", "").increment();
    }

    /**
     * A new self-registered client was refused, with the error the realm's event records (the refusal itself is also
     * counted by {@link #refused} where it is answered).
     */
    public static void registrationRefused(String realm, String kind, String error) {
        REGISTRATION_COUNTER.withTags("realm", realm, "kind", kind, "outcome", "refused", "error", error).increment();
    }

    /**
     * A request the pack refused; {@code check} is the authorization-endpoint check that refused it ({@code mcp-pkce},
     * {@code mcp-resource}, {@code mcp-authorization-response}, {@code mcp-resource} at the token endpoint) or empty,
     * {@code error} what the realm's event records.
     */
    public static void refused(String realm, Endpoint endpoint, String check, String error) {
        REFUSAL_COUNTER.withTags("realm", realm, "endpoint", endpoint.tag, "check", check, "error", error).increment();
    }

    /** An attempt over the realm's limit of new MCP clients per source address and minute. */
    public static void rateLimitHit(String realm) {
        RATE_LIMIT_COUNTER.withTags("realm", realm).increment();
    }

    /** The reaper removed {@code clients} unused clients of {@code realm}. */
    public static void reaped(String realm, int clients) {
        REAPED_COUNTER.withTags("realm", realm).increment(clients);
    }

    /** A metadata document fetch that ended with {@code outcome} after {@code nanos}. */
    public static void documentFetch(String outcome, long nanos) {
        FETCH_TIMER.withTags("outcome", outcome).record(nanos, TimeUnit.NANOSECONDS);
    }
}
