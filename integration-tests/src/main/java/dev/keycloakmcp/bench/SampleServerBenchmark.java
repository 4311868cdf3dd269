package dev.keycloakmcp.bench;

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
import java.util.concurrent.atomic.AtomicInteger;

import dev.keycloakmcp.it.support.DpopProver;
import dev.keycloakmcp.it.support.IntrospectionRelay;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.sample.McpSampleServer;
import dev.keycloakmcp.sample.SampleServerConfig;
import dev.keycloakmcp.resourceserver.AuthorizationServerUnavailable;
import dev.keycloakmcp.resourceserver.IssuerMetadata;
import dev.keycloakmcp.resourceserver.McpAuthSettings;
import dev.keycloakmcp.resourceserver.RealmKeys;
import dev.keycloakmcp.resourceserver.SignedTokenCheck;

/**
 * {@code ./mvnw -Pbench-sample}: what the sample server's authorization costs on {@code tools/call}, and whether a
 * flood of made-up tokens shuts out new valid ones. Four instances of the same MCP server, measured side by side in
 * alternating slices under {@link #CALLERS} concurrent callers:
 * <ol>
 * <li><b>none</b>: no bearer filter at all (the limit);</li>
 * <li><b>cached</b>: the sample as shipped (local check of signed tokens, then introspection cached, single flight),
 * its introspections counted by an {@link IntrospectionRelay};</li>
 * <li><b>unchecked</b>: the same without the local check (the sample before it), through a relay of its own;</li>
 * <li><b>naive</b>: the shipped filter with the cache off, one introspection per call;</li>
 * <li><b>dpop</b>: the sample as shipped like cached, called with DPoP-bound tokens ({@code Authorization: DPoP}) and a
 * fresh proof per call. The proofs are signed by the benchmark (the client) before each slice, outside its timed
 * window, since client and servers share this JVM's CPU; a caller that runs out signs inline and it is counted.</li>
 * </ol>
 * {@code -Dbench.dpop.only=true} measures cached and dpop alone (no burst, flood or local-check cost).
 * Reports throughput, p50/p99 latency, the ratios cached/none and cached/unchecked, introspections per token and cache
 * period, how many introspections a burst of {@link #CALLERS} callers with one new token causes, what the local check
 * costs per token, and for cached and unchecked what a flood of made-up tokens does ({@link #flood}).
 * <p>
 * {@link LibraryOverheadBenchmark} measures its servers with the same method, through the package-visible pieces here
 * ({@link #alternate}, {@link #measure}, {@link #initialize}, {@link #post}, {@link Variant}, ...).
 */
public final class SampleServerBenchmark {

    static final int CALLERS = Integer.getInteger("bench.callers", 64);
    static final int TOKENS = Integer.getInteger("bench.tokens", 4);
    static final int SLICES = Integer.getInteger("bench.slices", 10);
    /** Warm-up rounds (one slice per server each): the MCP SDK's reactive stack needs about a minute of load to be compiled. */
    static final int WARM_UP_SLICES = Integer.getInteger("bench.warmup", 8);
    static final Duration SLICE = Duration.ofMillis(Long.getLong("bench.slice.ms", 3000));
    static final int CACHE_SECONDS = Integer.getInteger("bench.cache.seconds", 30);
    /** The flood: made-up tokens per round, sent by this many callers at once, in this many rounds (all to localhost). */
    static final int FLOOD_REQUESTS = Integer.getInteger("bench.flood.requests", 800);
    static final int FLOOD_CONCURRENCY = Integer.getInteger("bench.flood.concurrency", 200);
    static final int FLOOD_ROUNDS = Integer.getInteger("bench.flood.rounds", 5);
    /** Most new valid tokens sent during one flood round (one after the other). */
    static final int FLOOD_VALID = Integer.getInteger("bench.flood.valid", 10);
    /** Only the Bearer (cached) and DPoP servers, side by side. */
    static final boolean DPOP_ONLY = Boolean.getBoolean("bench.dpop.only");

    static final String INITIALIZE = Json.write(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize",
            "params", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(), "clientInfo", Map.of("name", "bench", "version", "1"))));
    static final String ECHO = Json.write(Map.of("jsonrpc", "2.0", "id", 7, "method", "tools/call",
            "params", Map.of("name", "echo", "arguments", Map.of("text", "hello"))));

    private SampleServerBenchmark() {
    }

    /**
     * One server under test (in this JVM or a process of its own, closed at the end), each caller's MCP session on
     * it, and what was measured.
     */
    static final class Variant {
        final String name;
        final AutoCloseable server;
        final IntrospectionRelay relay;
        final String url;
        final List<String> sessions = new ArrayList<>();
        final List<long[]> latencies = new ArrayList<>();
        long calls;
        double seconds;
        /** For the DPoP variant: the client's key, its DPoP-bound tokens, each caller's proofs signed ahead of a slice. */
        DpopProver prover;
        List<String> boundTokens;
        List<java.util.concurrent.ConcurrentLinkedQueue<String>> proofs;
        long lastSliceCalls;
        final AtomicInteger inlineProofs = new AtomicInteger();

        Variant withDpop(DpopProver key, List<String> tokens) {
            prover = key;
            boundTokens = tokens;
            proofs = new ArrayList<>();
            for (int token = 0; token < TOKENS; token++) {
                proofs.add(new java.util.concurrent.ConcurrentLinkedQueue<>());
            }
            return this;
        }

        /** The token caller {@code index} presents. */
        String token(List<String> tokens, int index) {
            return (boundTokens != null ? boundTokens : tokens).get(index % TOKENS);
        }

        /**
         * A proof for the next call of caller {@code index}: signed ahead for its token (callers share a token's proofs, as
         * they do not make equally many calls), or now (counted) if none is left.
         */
        String proof(int index, String token) {
            String proof = proofs.get(index % TOKENS).poll();
            if (proof == null) {
                inlineProofs.incrementAndGet();
                proof = prover.proof("POST", TokenEndpointComparison.RESOURCE, token);
            }
            return proof;
        }

        /** Fresh proofs for every token, three times as many as the last slice used, before the slice's clock starts. */
        void signAhead(ExecutorService callers) throws Exception {
            long perTask = Math.max(50, lastSliceCalls * 3 / CALLERS);
            proofs.forEach(java.util.Collection::clear); // left-overs could be near the end of their lifetime
            List<Future<?>> signing = new ArrayList<>();
            for (int caller = 0; caller < CALLERS; caller++) {
                int index = caller;
                signing.add(callers.submit(() -> {
                    String token = token(List.of(), index);
                    for (long i = 0; i < perTask; i++) {
                        proofs.get(index % TOKENS).add(prover.proof("POST", TokenEndpointComparison.RESOURCE, token));
                    }
                }));
            }
            for (Future<?> done : signing) {
                done.get();
            }
        }

        Variant(String name, McpSampleServer server) {
            this(name, server, null);
        }

        Variant(String name, McpSampleServer server, IntrospectionRelay relay) {
            this(name, server, server.port(), relay);
        }

        Variant(String name, AutoCloseable server, int port, IntrospectionRelay relay) {
            this.name = name;
            this.server = server;
            this.relay = relay;
            this.url = "http://localhost:" + port + "/mcp";
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

    /** Where the benchmarks write their logs and builds: {@code integration-tests/target/bench}. */
    static Path workDir() throws java.io.IOException {
        return Files.createDirectories(Path.of(System.getProperty("keycloak.home")).getParent().getParent().resolve("bench"));
    }

    /**
     * Keycloak from the distribution with the pack and the demo realm, its sample server's client registered for
     * {@link TokenEndpointComparison#RESOURCE} (the canonical URL every server under test is configured with).
     */
    static KeycloakDistribution startKeycloak(String log) throws Exception {
        System.out.println("Starting Keycloak with the pack ...");
        return KeycloakDistribution.start(Path.of(System.getProperty("keycloak.home")), Path.of(System.getProperty("keycloak.pack.dir")),
                Path.of(System.getProperty("realm.file")), KeycloakDistribution.freePort(), KeycloakDistribution.freePort(),
                Map.of("MCP_SAMPLE_RESOURCE", TokenEndpointComparison.RESOURCE), List.of(), workDir().resolve(log));
    }

    /** An MCP client registered at the pack's endpoint, its access tokens valid an hour (none expires during a run). */
    static TokenEndpointComparison.Client longLivedClient(KeycloakDistribution keycloak) throws Exception {
        new AdminApi(keycloak).setRegistrationPolicy("registrations-per-minute", "0");
        TokenEndpointComparison.Client client = TokenEndpointComparison.Client.register(TokenEndpointComparison.Server.pack(keycloak.issuer("mcp")));
        new AdminApi(keycloak).setClientAttribute(client.clientId, "access.token.lifespan", "3600");
        return client;
    }

    /** {@code count} new access tokens of {@code client} for the sample server's resource, DPoP-bound to {@code key}. */
    static List<String> accessTokens(TokenEndpointComparison.Client client, int count, DpopProver key) throws Exception {
        List<String> tokens = new ArrayList<>();
        String tokenEndpoint = client.server.issuer() + "/protocol/openid-connect/token";
        for (int i = 0; i < count; i++) {
            String[] code = client.code();
            Map<String, Object> answer = Json.object(client.exchange(code[0], code[1], "DPoP", key.proof("POST", tokenEndpoint, null)).body());
            if (!"DPoP".equals(answer.get("token_type"))) {
                throw new IllegalStateException("No DPoP-bound token: " + answer);
            }
            tokens.add((String) answer.get("access_token"));
        }
        return tokens;
    }

    /** The DPoP variant against the Bearer one (cached): throughput, latency, ratio per slice, proofs signed inline. */
    private static String dpopReport(Variant bearer, Variant dpop, List<Double> ratios) {
        double[] spread = spread(ratios);
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "%n| server | tools/call per s | p50 ms | p99 ms |%n| --- | ---: | ---: | ---: |%n"));
        for (Variant variant : List.of(bearer, dpop)) {
            text.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f |%n", variant.name.equals("cached") ? "bearer (cached)" : variant.name,
                    variant.throughput(), variant.percentileMillis(0.50), variant.percentileMillis(0.99)));
        }
        return text.append(String.format(Locale.ROOT, "dpop/bearer: %.3f overall, slice ratios min–median–max %.3f–%.3f–%.3f; "
                + "proofs %s, %d signed inline (the rest ahead of their slice); %d callers, %d slices of %d ms after %d warm-up slices%n",
                dpop.throughput() / bearer.throughput(), spread[0], spread[1], spread[2], System.getProperty("bench.dpop.alg", "ES256"),
                dpop.inlineProofs.get(), CALLERS, SLICES,
                SLICE.toMillis(), WARM_UP_SLICES)).toString();
    }

    /** {@code count} new access tokens of {@code client} for the sample server's resource. */
    static List<String> accessTokens(TokenEndpointComparison.Client client, int count) throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] code = client.code();
            tokens.add((String) Json.object(client.exchange(code[0], code[1]).body()).get("access_token"));
        }
        return tokens;
    }

    private static void run() throws Exception {
        String resource = TokenEndpointComparison.RESOURCE;
        try (KeycloakDistribution keycloak = startKeycloak("keycloak-sample-bench.log");
                IntrospectionRelay relay = new IntrospectionRelay(
                        URI.create(keycloak.issuer("mcp") + "/protocol/openid-connect/token/introspect"));
                IntrospectionRelay uncheckedRelay = new IntrospectionRelay(
                        URI.create(keycloak.issuer("mcp") + "/protocol/openid-connect/token/introspect"))) {
            // Long-lived tokens so that none expires during the run (the cache's lifetime is what is measured).
            TokenEndpointComparison.Client client = longLivedClient(keycloak);
            List<String> tokens = accessTokens(client, TOKENS + 1);
            String burstToken = tokens.remove(TOKENS);
            // Tokens no server has seen yet, each sent once during a flood.
            List<String> floodTokens = accessTokens(client, FLOOD_ROUNDS * FLOOD_VALID * FLOODED.length);

            // Same canonical URL for all four (it is what tokens are bound to); each binds its own port.
            Map<String, String> base = Map.of("MCP_ISSUER", keycloak.issuer("mcp"), "MCP_RESOURCE", resource, "MCP_PORT", "0");
            // The client's proof algorithm: ES256 by default (the TypeScript SDK's), -Dbench.dpop.alg=RS256 to compare.
            DpopProver key = new DpopProver(com.nimbusds.jose.JWSAlgorithm.parse(System.getProperty("bench.dpop.alg", "ES256")));
            List<String> boundTokens = accessTokens(client, TOKENS, key);
            String checkCost = DPOP_ONLY ? "" : localCheckCost(config(base, Map.of()), tokens.get(0));
            Variant dpop = new Variant("dpop", McpSampleServer.start(config(base, Map.of("MCP_TOKEN_CACHE_SECONDS", String.valueOf(CACHE_SECONDS)))))
                    .withDpop(key, boundTokens);
            List<Variant> variants = DPOP_ONLY ? List.of(new Variant("cached", McpSampleServer.start(config(base, Map.of(
                    "MCP_INTROSPECTION_URL", relay.uri().toString(), "MCP_TOKEN_CACHE_SECONDS", String.valueOf(CACHE_SECONDS)))), relay), dpop)
                    : List.of(
                    new Variant("none", McpSampleServer.startUnguarded(config(base, Map.of()))),
                    new Variant("cached", McpSampleServer.start(config(base, Map.of("MCP_INTROSPECTION_URL", relay.uri().toString(),
                            "MCP_TOKEN_CACHE_SECONDS", String.valueOf(CACHE_SECONDS)))), relay),
                    new Variant("unchecked", McpSampleServer.startIntrospectionOnly(config(base, Map.of("MCP_INTROSPECTION_URL",
                            uncheckedRelay.uri().toString(), "MCP_TOKEN_CACHE_SECONDS", String.valueOf(CACHE_SECONDS)))), uncheckedRelay),
                    // As many introspections in flight as callers: naive measures introspection, not the server shedding load.
                    new Variant("naive", McpSampleServer.start(config(base, Map.of("MCP_TOKEN_CACHE_SECONDS", "0",
                            "MCP_MAX_CONCURRENT_INTROSPECTIONS", String.valueOf(CALLERS))))), dpop);
            ExecutorService httpThreads = Executors.newFixedThreadPool(8);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpThreads).build();
            ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
            try {
                Variant cached = variants.stream().filter(variant -> variant.name.equals("cached")).findFirst().orElseThrow();
                int burst = DPOP_ONLY ? 0 : burst(http, callers, cached, burstToken, relay);
                List<Flood> floods = new ArrayList<>();
                for (String name : DPOP_ONLY ? new String[0] : FLOODED) {
                    Variant flooded = variants.stream().filter(variant -> variant.name.equals(name)).findFirst().orElseThrow();
                    floods.add(flood(http, flooded, floodTokens));
                }
                // Counted from the first time the cached server sees the tokens, when the sessions open.
                int relayBefore = relay.calls();
                long countedFrom = System.nanoTime();
                for (Variant variant : variants) {
                    for (int caller = 0; caller < CALLERS; caller++) {
                        variant.sessions.add(variant.prover == null ? initialize(http, variant.url, tokens.get(caller % TOKENS))
                                : initialize(http, variant.url, variant.token(tokens, caller), variant.prover));
                    }
                }
                List<Map<String, Double>> rounds = alternate(http, callers, variants, tokens);
                double span = (System.nanoTime() - countedFrom) / 1e9;
                int introspections = relay.calls() - relayBefore;
                if (!DPOP_ONLY) {
                    System.out.println(report(variants, ratios(rounds, "cached", "none"), ratios(rounds, "cached", "unchecked"),
                            introspections, span, burst));
                }
                System.out.println(dpopReport(cached, dpop, ratios(rounds, "dpop", "cached")));
                System.out.println(checkCost);
                System.out.println(Flood.report(floods));
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

    /** The servers a flood of made-up tokens is sent to (those whose introspections a relay counts). */
    private static final String[] FLOODED = {"unchecked", "cached"};

    /**
     * What a flood of made-up tokens did to one server: how its answers to the junk split, how many introspections
     * it caused, and how many new valid tokens sent meanwhile got in.
     */
    private record Flood(String server, Map<Integer, Integer> junkStatuses, int introspections, int validSent, int validOk,
            Map<Integer, Integer> validStatuses) {

        static String report(List<Flood> floods) {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                    "%nflood: %d rounds of %d requests with made-up eyJ... tokens, %d at once; %d new valid tokens sent at once"
                            + " when a quarter of each round is answered%n| server | junk answers | introspections during"
                            + " the flood | valid tokens answered 200 | valid answers |%n| --- | --- | ---: | ---: | --- |%n",
                    FLOOD_ROUNDS, FLOOD_REQUESTS, FLOOD_CONCURRENCY, FLOOD_VALID));
            for (Flood flood : floods) {
                text.append(String.format(Locale.ROOT, "| %s | %s | %d | %d/%d (%.0f %%) | %s |%n", flood.server, flood.junkStatuses,
                        flood.introspections, flood.validOk, flood.validSent, 100.0 * flood.validOk / Math.max(1, flood.validSent),
                        flood.validStatuses));
            }
            return text.toString();
        }
    }

    /**
     * {@link #FLOOD_ROUNDS} rounds of {@link #FLOOD_REQUESTS} POSTs of {@code initialize} to the MCP endpoint,
     * {@link #FLOOD_CONCURRENCY} at once, each with a random {@code eyJ...} token. Once a quarter of a round is
     * answered, {@link #FLOOD_VALID} new valid tokens are sent at once (each an {@code initialize} the server must
     * introspect the token of, answered 200 when it gets through). Uses the valid tokens at
     * the front of {@code fresh} and removes them.
     */
    private static Flood flood(HttpClient http, Variant variant, List<String> fresh) throws Exception {
        IntrospectionRelay relay = variant.relay;
        Map<Integer, Integer> junkStatuses = new java.util.TreeMap<>();
        Map<Integer, Integer> validStatuses = new java.util.TreeMap<>();
        int introspectionsBefore = relay.calls();
        ExecutorService flooders = Executors.newFixedThreadPool(FLOOD_CONCURRENCY + FLOOD_VALID);
        try {
            for (int round = 0; round < FLOOD_ROUNDS; round++) {
                AtomicInteger next = new AtomicInteger();
                AtomicInteger answered = new AtomicInteger();
                CountDownLatch quarter = new CountDownLatch(1);
                List<Future<Map<Integer, Integer>>> workers = new ArrayList<>();
                for (int worker = 0; worker < FLOOD_CONCURRENCY; worker++) {
                    workers.add(flooders.submit(() -> {
                        Map<Integer, Integer> statuses = new HashMap<>();
                        while (next.getAndIncrement() < FLOOD_REQUESTS) {
                            int status = http.send(post(variant.url, junkToken(), null, INITIALIZE), HttpResponse.BodyHandlers.discarding()).statusCode();
                            statuses.merge(status, 1, Integer::sum);
                            if (answered.incrementAndGet() == FLOOD_REQUESTS / 4) {
                                quarter.countDown();
                            }
                        }
                        return statuses;
                    }));
                }
                quarter.await();
                List<Future<Integer>> valid = new ArrayList<>();
                for (int i = 0; i < FLOOD_VALID; i++) {
                    String token = fresh.remove(0);
                    valid.add(flooders.submit(() -> http.send(post(variant.url, token, null, INITIALIZE), HttpResponse.BodyHandlers.discarding()).statusCode()));
                }
                for (Future<Integer> status : valid) {
                    validStatuses.merge(status.get(), 1, Integer::sum);
                }
                for (Future<Map<Integer, Integer>> worker : workers) {
                    worker.get().forEach((status, count) -> junkStatuses.merge(status, count, Integer::sum));
                }
            }
        } finally {
            flooders.shutdownNow();
        }
        int validSent = FLOOD_ROUNDS * FLOOD_VALID;
        return new Flood(variant.name, junkStatuses, relay.calls() - introspectionsBefore, validSent,
                validStatuses.getOrDefault(200, 0), validStatuses);
    }

    /**
     * What the local check costs per token on one thread, warm: a valid token (signature verified) and a made-up one
     * (refused when its claims do not parse). Only tokens without a cached answer are checked.
     */
    private static String localCheckCost(SampleServerConfig sample, String valid) {
        McpAuthSettings config = sample.auth();
        HttpClient http = HttpClient.newHttpClient();
        IssuerMetadata issuer = IssuerMetadata.read(config, http);
        SignedTokenCheck check = new SignedTokenCheck(config, RealmKeys.fetch(config, issuer.jwksUri(), http));
        List<String> junk = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            junk.add(junkToken());
        }
        double validMicros = 0;
        double junkMicros = 0;
        for (int round = 0; round < 3; round++) {
            validMicros = perCheckMicros(check, List.of(valid), 20_000, SignedTokenCheck.Verdict.PASSED);
            junkMicros = perCheckMicros(check, junk, 20_000, SignedTokenCheck.Verdict.MALFORMED);
        }
        return String.format(Locale.ROOT, "local check per token (one thread, warm): valid %.1f µs, made-up eyJ... %.1f µs%n",
                validMicros, junkMicros);
    }

    private static double perCheckMicros(SignedTokenCheck check, List<String> tokens, int count, SignedTokenCheck.Verdict expected) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            SignedTokenCheck.Verdict verdict;
            try {
                verdict = check.check(tokens.get(i % tokens.size()));
            } catch (AuthorizationServerUnavailable e) {
                throw new IllegalStateException(e);
            }
            if (verdict != expected) {
                throw new IllegalStateException("Local check answered " + verdict + ", expected " + expected);
            }
        }
        return (System.nanoTime() - start) / 1e3 / count;
    }

    /** A made-up token shaped like a JWT: a header naming RS256 and a random key id, random payload and signature. */
    private static String junkToken() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        byte[] payload = new byte[300];
        byte[] signature = new byte[256];
        random.nextBytes(payload);
        random.nextBytes(signature);
        java.util.Base64.Encoder base64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + Long.toHexString(random.nextLong()) + "\"}";
        return base64.encodeToString(header.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + base64.encodeToString(payload)
                + "." + base64.encodeToString(signature);
    }

    /** The same with a DPoP-bound token and a proof per request. */
    static String initialize(HttpClient http, String url, String token, DpopProver key) throws Exception {
        HttpResponse<String> response = http.send(post(url, token, null, INITIALIZE, key.proof("POST", TokenEndpointComparison.RESOURCE, token)),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("initialize at " + url + " answered " + response.statusCode() + " " + response.body());
        }
        String session = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
        http.send(post(url, token, session, Json.write(Map.of("jsonrpc", "2.0", "method", "notifications/initialized")),
                key.proof("POST", TokenEndpointComparison.RESOURCE, token)), HttpResponse.BodyHandlers.discarding());
        return session;
    }

    static String initialize(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> response = http.send(post(url, token, null, INITIALIZE), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("initialize at " + url + " answered " + response.statusCode() + " " + response.body());
        }
        String session = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
        http.send(post(url, token, session, Json.write(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"))),
                HttpResponse.BodyHandlers.discarding());
        return session;
    }

    /** A POST of {@code body} to the MCP endpoint, with {@code token} as bearer token (none if null) in {@code session} (if not null). */
    static HttpRequest post(String url, String token, String session, String body) {
        return post(url, token, session, body, null);
    }

    /** The same with the {@code DPoP} scheme and {@code proof} when it is not null. */
    static HttpRequest post(String url, String token, String session, String body, String proof) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", (proof == null ? "Bearer " : "DPoP ") + token);
        }
        if (proof != null) {
            request.header("DPoP", proof);
        }
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return request.build();
    }

    /**
     * {@link #WARM_UP_SLICES} uncounted rounds, then {@link #SLICES} counted ones, each round one slice per variant
     * ({@link #measure}), the order rotated every round so that no variant always runs first or last. Prints every
     * round; returns each counted round's calls per second by variant name.
     */
    static List<Map<String, Double>> alternate(HttpClient http, ExecutorService callers, List<Variant> variants, List<String> tokens)
            throws Exception {
        List<Map<String, Double>> rounds = new ArrayList<>();
        for (int slice = -WARM_UP_SLICES; slice < SLICES; slice++) {
            List<Variant> order = new ArrayList<>(variants);
            Collections.rotate(order, Math.floorMod(slice, variants.size()));
            Map<String, Double> throughputs = new HashMap<>();
            for (Variant variant : order) {
                throughputs.put(variant.name, measure(http, callers, variant, tokens, slice >= 0));
            }
            if (slice >= 0) {
                rounds.add(throughputs);
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s %d/%d:", slice < 0 ? "warm-up" : "slice",
                    slice < 0 ? slice + WARM_UP_SLICES + 1 : slice + 1, slice < 0 ? WARM_UP_SLICES : SLICES));
            for (int i = 0; i < variants.size(); i++) {
                line.append(String.format(Locale.ROOT, " %s %.0f", variants.get(i).name, throughputs.get(variants.get(i).name)))
                        .append(i < variants.size() - 1 ? "," : " calls/s");
            }
            System.out.println(line);
        }
        return rounds;
    }

    /** Each round's throughput of {@code numerator} divided by that of {@code denominator}. */
    static List<Double> ratios(List<Map<String, Double>> rounds, String numerator, String denominator) {
        return rounds.stream().map(round -> round.get(numerator) / round.get(denominator)).toList();
    }

    /** Min, median (the upper one of an even count) and max of {@code values}. */
    static double[] spread(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return new double[] {sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1)};
    }

    /** All callers call {@code echo} on one server for one slice; returns the slice's calls per second. */
    static double measure(HttpClient http, ExecutorService callers, Variant variant, List<String> tokens, boolean counted) throws Exception {
        if (variant.prover != null) {
            variant.signAhead(callers);
        }
        long end = System.nanoTime() + SLICE.toNanos();
        List<Future<long[]>> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int caller = 0; caller < CALLERS; caller++) {
            int index = caller;
            results.add(callers.submit(() -> {
                long[] latencies = new long[1024];
                int count = 0;
                String token = variant.token(tokens, index);
                HttpRequest bearer = post(variant.url, token, variant.sessions.get(index), ECHO);
                while (System.nanoTime() < end) {
                    HttpRequest request = variant.prover == null ? bearer
                            : post(variant.url, token, variant.sessions.get(index), ECHO, variant.proof(index, token));
                    long sent = System.nanoTime();
                    HttpResponse<String> response;
                    try {
                        response = http.send(variant.prover == null ? request
                                : post(variant.url, token, variant.sessions.get(index), ECHO, variant.proof(index, token)),
                                HttpResponse.BodyHandlers.ofString());
                    } catch (java.io.IOException e) {
                        // A kept-alive connection the server closed while this server was not measured (idle timeout on
                        // a busy machine): the client's artefact, sent again on a new connection.
                        response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    }
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
        variant.lastSliceCalls = calls;
        if (counted) {
            variant.calls += calls;
            variant.seconds += seconds;
            variant.latencies.addAll(sliceLatencies);
        }
        return calls / seconds;
    }

    private static String report(List<Variant> variants, List<Double> ratios, List<Double> checkedRatios, int introspections,
            double spanSeconds, int burst) {
        Map<String, Variant> byName = new LinkedHashMap<>();
        variants.forEach(variant -> byName.put(variant.name, variant));
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%n| server | tools/call per s | p50 ms | p99 ms | ratio to none |%n| --- | ---: | ---: | ---: | ---: |%n"));
        for (Variant variant : variants) {
            table.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %.3f |%n", variant.name, variant.throughput(),
                    variant.percentileMillis(0.50), variant.percentileMillis(0.99), variant.throughput() / byName.get("none").throughput()));
        }
        double[] sorted = spread(ratios);
        double periods = spanSeconds / CACHE_SECONDS;
        table.append(String.format(Locale.ROOT, "%ncached/none: %.3f overall, slice ratios min–median–max %.3f–%.3f–%.3f%n",
                byName.get("cached").throughput() / byName.get("none").throughput(), sorted[0], sorted[1], sorted[2]));
        double[] checked = spread(checkedRatios);
        table.append(String.format(Locale.ROOT, "cached/unchecked (with/without the local check): %.3f overall, slice ratios"
                + " min–median–max %.3f–%.3f–%.3f%n", byName.get("cached").throughput() / byName.get("unchecked").throughput(),
                checked[0], checked[1], checked[2]));
        table.append(String.format(Locale.ROOT,
                "cached: %d introspections for %d tokens over %.0f s (%.2f cache periods of %d s): %.2f per token per cache period%n",
                introspections, TOKENS, spanSeconds, periods, CACHE_SECONDS, introspections / (double) TOKENS / Math.max(1, Math.ceil(periods))));
        table.append(String.format(Locale.ROOT, "burst: %d concurrent callers with one new token caused %d introspection(s)%n", CALLERS, burst));
        return table.append(String.format(Locale.ROOT, "%d callers, %d tokens, %d slices of %d ms per server after %d warm-up slices.%n",
                CALLERS, TOKENS, SLICES, SLICE.toMillis(), WARM_UP_SLICES)).toString();
    }
}
