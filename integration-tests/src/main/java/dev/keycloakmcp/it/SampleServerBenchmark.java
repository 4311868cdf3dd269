package dev.keycloakmcp.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.keycloakmcp.sample.McpSampleServer;
import dev.keycloakmcp.sample.SampleServerConfig;

/**
 * {@code ./mvnw -Pbench-sample}: what the sample server's authorization costs on {@code tools/call}. Three instances
 * of the same MCP server, measured side by side in alternating slices under {@link #CALLERS} concurrent callers:
 * <ol>
 * <li><b>none</b>: no bearer filter at all (the limit);</li>
 * <li><b>cached</b>: the sample as shipped (introspection cached, single flight), its introspections counted by an
 * {@link IntrospectionRelay};</li>
 * <li><b>naive</b>: the same filter with the cache off, one introspection per call.</li>
 * </ol>
 * Reports throughput, p50/p99 latency, the ratio cached/none, introspections per token and cache period, and how
 * many introspections a burst of {@link #CALLERS} callers with one new token causes.
 */
public final class SampleServerBenchmark {

    static final int CALLERS = Integer.getInteger("bench.callers", 64);
    static final int TOKENS = Integer.getInteger("bench.tokens", 4);
    static final int SLICES = Integer.getInteger("bench.slices", 10);
    /** Warm-up rounds (one slice per server each): the MCP SDK's reactive stack needs about a minute of load to be compiled. */
    static final int WARM_UP_SLICES = Integer.getInteger("bench.warmup", 8);
    static final Duration SLICE = Duration.ofMillis(Long.getLong("bench.slice.ms", 3000));
    static final int CACHE_SECONDS = Integer.getInteger("bench.cache.seconds", 30);

    private static final String ECHO = Json.write(Map.of("jsonrpc", "2.0", "id", 7, "method", "tools/call",
            "params", Map.of("name", "echo", "arguments", Map.of("text", "hello"))));

    private SampleServerBenchmark() {
    }

    /** One server under test, each caller's MCP session on it, and what was measured. */
    private static final class Variant {
        final String name;
        final McpSampleServer server;
        final String url;
        final List<String> sessions = new ArrayList<>();
        final List<long[]> latencies = new ArrayList<>();
        long calls;
        double seconds;

        Variant(String name, McpSampleServer server) {
            this.name = name;
            this.server = server;
            this.url = "http://localhost:" + server.port() + "/mcp";
        }

        double throughput() {
            return calls / seconds;
        }

        double percentileMillis(double percentile) {
            long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return all[Math.min(all.length - 1, (int) Math.ceil(percentile * all.length) - 1)] / 1e6;
        }
    }

    public static void main(String[] args) {
        int status = 1;
        try {
            run();
            status = 0;
        } catch (Exception e) {
            e.printStackTrace();
        } finally {
            // The MCP SDK's reactive schedulers leave non-daemon threads that Maven's exec:java would wait for forever.
            System.exit(status);
        }
    }

    private static void run() throws Exception {
        Path home = Path.of(System.getProperty("keycloak.home"));
        Path work = Files.createDirectories(home.getParent().getParent().resolve("bench"));
        String resource = TokenBenchmark.RESOURCE;
        System.out.println("Starting Keycloak with the pack ...");
        try (KeycloakDistribution keycloak = KeycloakDistribution.start(home, Path.of(System.getProperty("keycloak.pack.dir")),
                Path.of(System.getProperty("realm.file")), KeycloakDistribution.freePort(), KeycloakDistribution.freePort(),
                Map.of("MCP_SAMPLE_RESOURCE", resource), List.of(), work.resolve("keycloak-sample-bench.log"));
                IntrospectionRelay relay = new IntrospectionRelay(
                        URI.create(keycloak.issuer("mcp") + "/protocol/openid-connect/token/introspect"))) {
            new AdminApi(keycloak).setRegistrationPolicy("registrations-per-minute", "0");
            TokenBenchmark.Server realm = new TokenBenchmark.Server("pack", keycloak.issuer("mcp"),
                    keycloak.issuer("mcp") + "/clients-registrations/mcp", TokenBenchmark.mcpRegistration());
            TokenBenchmark.Client client = TokenBenchmark.Client.register(realm);
            // Long-lived tokens so that none expires during the run (the cache's lifetime is what is measured).
            new AdminApi(keycloak).setClientAttribute(client.clientId, "access.token.lifespan", "3600");
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i <= TOKENS; i++) {
                String[] code = client.code();
                tokens.add((String) Json.object(client.exchange(code[0], code[1]).body()).get("access_token"));
            }
            String burstToken = tokens.remove(TOKENS);

            // Same canonical URL for all three (it is what tokens are bound to); each binds its own port.
            Map<String, String> base = Map.of("MCP_ISSUER", keycloak.issuer("mcp"), "MCP_RESOURCE", resource, "MCP_PORT", "0");
            List<Variant> variants = List.of(
                    new Variant("none", McpSampleServer.startUnguarded(config(base, Map.of()))),
                    new Variant("cached", McpSampleServer.start(config(base, Map.of("MCP_INTROSPECTION_URL", relay.uri().toString(),
                            "MCP_TOKEN_CACHE_SECONDS", String.valueOf(CACHE_SECONDS))))),
                    // As many introspections in flight as callers: naive measures introspection, not the server shedding load.
                    new Variant("naive", McpSampleServer.start(config(base, Map.of("MCP_TOKEN_CACHE_SECONDS", "0",
                            "MCP_MAX_CONCURRENT_INTROSPECTIONS", String.valueOf(CALLERS))))));
            ExecutorService httpThreads = Executors.newFixedThreadPool(8);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpThreads).build();
            ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
            try {
                Variant cached = variants.get(1);
                int burst = burst(http, callers, cached, burstToken, relay);
                // Counted from the first time the cached server sees the tokens, when the sessions open.
                int relayBefore = relay.calls();
                long countedFrom = System.nanoTime();
                for (Variant variant : variants) {
                    for (int caller = 0; caller < CALLERS; caller++) {
                        variant.sessions.add(initialize(http, variant.url, tokens.get(caller % TOKENS)));
                    }
                }
                List<Double> ratios = new ArrayList<>();
                for (int slice = -WARM_UP_SLICES; slice < SLICES; slice++) {
                    // Rotate the order so that no variant always runs first or last in a round.
                    List<Variant> order = new ArrayList<>(variants);
                    Collections.rotate(order, Math.floorMod(slice, variants.size()));
                    Map<String, Double> throughputs = new HashMap<>();
                    for (Variant variant : order) {
                        throughputs.put(variant.name, measure(http, callers, variant, tokens, slice >= 0));
                    }
                    if (slice >= 0) {
                        ratios.add(throughputs.get("cached") / throughputs.get("none"));
                    }
                    System.out.printf(Locale.ROOT, "%s %d/%d: none %.0f, cached %.0f, naive %.0f calls/s%n", slice < 0 ? "warm-up" : "slice",
                            slice < 0 ? slice + WARM_UP_SLICES + 1 : slice + 1, slice < 0 ? WARM_UP_SLICES : SLICES,
                            throughputs.get("none"), throughputs.get("cached"), throughputs.get("naive"));
                }
                double span = (System.nanoTime() - countedFrom) / 1e9;
                int introspections = relay.calls() - relayBefore;
                System.out.println(report(variants, ratios, introspections, span, burst));
            } finally {
                // Maven's exec:java waits for non-daemon threads before it returns.
                callers.shutdownNow();
                httpThreads.shutdownNow();
                for (Variant variant : variants) {
                    variant.server.close();
                }
            }
        }
    }

    private static SampleServerConfig config(Map<String, String> base, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(base);
        env.putAll(settings);
        return SampleServerConfig.fromEnvironment(new String[0], env);
    }

    /** {@link #CALLERS} callers at once with a token the server has not seen: how many introspections follow. */
    private static int burst(HttpClient http, ExecutorService callers, Variant variant, String token, IntrospectionRelay relay) throws Exception {
        int before = relay.calls();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> sessions = new ArrayList<>();
        for (int caller = 0; caller < CALLERS; caller++) {
            sessions.add(callers.submit(() -> {
                start.await();
                return initialize(http, variant.url, token);
            }));
        }
        start.countDown();
        for (Future<String> session : sessions) {
            session.get();
        }
        return relay.calls() - before;
    }

    private static String initialize(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> response = http.send(post(url, token, null, Json.write(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize",
                "params", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(), "clientInfo", Map.of("name", "bench", "version", "1"))))),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("initialize at " + url + " answered " + response.statusCode() + " " + response.body());
        }
        String session = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
        http.send(post(url, token, session, Json.write(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"))),
                HttpResponse.BodyHandlers.discarding());
        return session;
    }

    private static HttpRequest post(String url, String token, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return request.build();
    }

    /** All callers call {@code echo} on one server for one slice; returns the slice's calls per second. */
    private static double measure(HttpClient http, ExecutorService callers, Variant variant, List<String> tokens, boolean counted) throws Exception {
        long end = System.nanoTime() + SLICE.toNanos();
        List<Future<long[]>> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int caller = 0; caller < CALLERS; caller++) {
            int index = caller;
            results.add(callers.submit(() -> {
                long[] latencies = new long[1024];
                int count = 0;
                HttpRequest request = post(variant.url, tokens.get(index % TOKENS), variant.sessions.get(index), ECHO);
                while (System.nanoTime() < end) {
                    long sent = System.nanoTime();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    long took = System.nanoTime() - sent;
                    if (response.statusCode() != 200 || !response.body().contains("hello")) {
                        throw new IllegalStateException(variant.name + ": tools/call answered " + response.statusCode() + " " + response.body());
                    }
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = took;
                }
                return Arrays.copyOf(latencies, count);
            }));
        }
        long calls = 0;
        List<long[]> sliceLatencies = new ArrayList<>();
        for (Future<long[]> result : results) {
            long[] latencies = result.get();
            calls += latencies.length;
            sliceLatencies.add(latencies);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (counted) {
            variant.calls += calls;
            variant.seconds += seconds;
            variant.latencies.addAll(sliceLatencies);
        }
        return calls / seconds;
    }

    private static String report(List<Variant> variants, List<Double> ratios, int introspections, double spanSeconds, int burst) {
        Map<String, Variant> byName = new LinkedHashMap<>();
        variants.forEach(variant -> byName.put(variant.name, variant));
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%n| server | tools/call per s | p50 ms | p99 ms | ratio to none |%n| --- | ---: | ---: | ---: | ---: |%n"));
        for (Variant variant : variants) {
            table.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %.3f |%n", variant.name, variant.throughput(),
                    variant.percentileMillis(0.50), variant.percentileMillis(0.99), variant.throughput() / byName.get("none").throughput()));
        }
        List<Double> sorted = new ArrayList<>(ratios);
        Collections.sort(sorted);
        double periods = spanSeconds / CACHE_SECONDS;
        table.append(String.format(Locale.ROOT, "%ncached/none: %.3f overall, slice ratios min–median–max %.3f–%.3f–%.3f%n",
                byName.get("cached").throughput() / byName.get("none").throughput(), sorted.get(0), sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() - 1)));
        table.append(String.format(Locale.ROOT,
                "cached: %d introspections for %d tokens over %.0f s (%.2f cache periods of %d s): %.2f per token per cache period%n",
                introspections, TOKENS, spanSeconds, periods, CACHE_SECONDS, introspections / (double) TOKENS / Math.max(1, Math.ceil(periods))));
        table.append(String.format(Locale.ROOT, "burst: %d concurrent callers with one new token caused %d introspection(s)%n", CALLERS, burst));
        return table.append(String.format(Locale.ROOT, "%d callers, %d tokens, %d slices of %d ms per server after %d warm-up slices.%n",
                CALLERS, TOKENS, SLICES, SLICE.toMillis(), WARM_UP_SLICES)).toString();
    }
}
