package dev.keycloakmcp.bench;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.IntFunction;

import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.Pkce;

/**
 * The pack against stock Keycloak at the token endpoint (code exchange, refresh) and at registration, whatever the
 * two servers run in (dev mode for {@link TokenBenchmark}, production mode on PostgreSQL for
 * {@link ProductionBenchmark}): both get the same realm shaped by {@link #packShape} and {@link #stockShape}, must
 * issue like tokens, and are measured side by side in alternating slices; the report gives the ratios pack / stock.
 */
final class TokenEndpointComparison {

    static final String REDIRECT_URI = "http://127.0.0.1:33418/callback";
    static final String RESOURCE = "http://localhost:3000/mcp";
    static final int THREADS = 4;
    static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    static final int CODES_PER_ROUND = Integer.getInteger("bench.codes", 200);
    static final int REFRESHES_PER_THREAD = Integer.getInteger("bench.refreshes", 50);
    static final int REGISTRATIONS_PER_ROUND = Integer.getInteger("bench.registrations", 100);
    static final int SLICES = Integer.getInteger("bench.slices", 6);
    static final int WARM_UP_ROUNDS = Integer.getInteger("bench.warmup", 2);

    private TokenEndpointComparison() {
    }

    /** One server under test: its issuer and how clients register there. */
    record Server(String name, String issuer, String registrationEndpoint, Map<String, Object> registration) {

        /** Keycloak with the pack: MCP registration at the pack's endpoint. */
        static Server pack(String issuer) {
            return new Server("pack", issuer, issuer + "/clients-registrations/mcp", mcpRegistration());
        }

        /** Keycloak without it: the closest body at Keycloak's own registration endpoint. */
        static Server stock(String issuer) {
            return new Server("stock", issuer, issuer + "/clients-registrations/openid-connect", stockRegistration());
        }
    }

    /** The realm file shaped for each server, written to {@code dir}. */
    record RealmFiles(Path pack, Path stock) {

        static RealmFiles write(Path realmFile, Path dir) throws java.io.IOException {
            Files.createDirectories(dir);
            Path stock = dir.resolve("mcp-realm.json");
            Files.writeString(stock, Json.write(stockShape(Json.object(Files.readString(realmFile)))));
            Path pack = dir.resolve("mcp-realm-pack.json");
            Files.writeString(pack, Json.write(packShape(Json.object(Files.readString(realmFile)))));
            return new RealmFiles(pack, stock);
        }
    }

    /**
     * Checks that both servers issue like tokens, warms them up, measures {@link #ROUNDS} rounds and prints every
     * round and the report.
     */
    static void run(Server withPack, Server without) throws Exception {
        compareTokens(withPack, without);
        Map<String, List<Round>> results = new LinkedHashMap<>();
        // The first rounds warm both servers up (JIT, caches) and are not counted.
        for (int round = 1 - WARM_UP_ROUNDS; round <= ROUNDS; round++) {
            Map<String, List<Round>> target = round <= 0 ? new LinkedHashMap<>() : results;
            target.computeIfAbsent("code exchange", key -> new ArrayList<>()).add(compare(withPack, without, CODES_PER_ROUND, TokenEndpointComparison::codeExchange));
            target.computeIfAbsent("refresh", key -> new ArrayList<>()).add(compare(withPack, without, THREADS * REFRESHES_PER_THREAD, TokenEndpointComparison::refresh));
            target.computeIfAbsent("registration", key -> new ArrayList<>()).add(compare(withPack, without, REGISTRATIONS_PER_ROUND, TokenEndpointComparison::registration));
            System.out.printf(Locale.ROOT, "round %d/%d%s%n", round, ROUNDS, round <= 0 ? " (warm-up)" : "");
        }
        System.out.println(rounds(results));
        System.out.println(report(results));
    }

    /** With {@code -Dbench.jfr=<dir>}, each Keycloak writes a Java Flight Recording there, to see where time goes. */
    static Map<String, String> profiling(String name) {
        String dir = System.getProperty("bench.jfr");
        return dir == null ? Map.of() : Map.of("JAVA_OPTS_APPEND",
                "-XX:StartFlightRecording=settings=" + System.getProperty("bench.jfr.settings", "profile") + ",dumponexit=true,filename=" + Path.of(dir, name + ".jfr").toAbsolutePath());
    }

    /**
     * Throughput (req/s) and median latency (ms) of both servers in one round, their ratio, and the ratio of each
     * pair of adjacent slices (pack and stock measured back to back).
     */
    record Round(double pack, double stock, double packLatency, double stockLatency, List<Double> sliceRatios) {
        double ratio() {
            return pack / stock;
        }
    }

    /** Requests and time spent on one server, added up over the slices of a round. */
    private static final class Tally {
        int requests;
        double seconds;
        final List<Long> latencies = new ArrayList<>();

        double throughput() {
            return requests / seconds;
        }

        double medianLatencyMillis() {
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            return sorted.get(sorted.size() / 2) / 1e6;
        }
    }

    /**
     * Runs {@code count} calls on each server in {@link #SLICES} alternating slices (pack, stock, stock, pack, ...),
     * so that drift during the round (JIT, GC, the other JVM's background work) hits both alike.
     */
    private static Round compare(Server pack, Server stock, int count, Function<Server, IntFunction<Callable<Long>>> workload) throws Exception {
        IntFunction<Callable<Long>> packCalls = workload.apply(pack);
        IntFunction<Callable<Long>> stockCalls = workload.apply(stock);
        Tally packTally = new Tally();
        Tally stockTally = new Tally();
        List<Double> sliceRatios = new ArrayList<>();
        for (int slice = 0; slice < SLICES; slice++) {
            int from = count * slice / SLICES;
            int to = count * (slice + 1) / SLICES;
            double packSeconds;
            double stockSeconds;
            if (slice % 2 == 0) {
                packSeconds = measure(from, to, packCalls, packTally);
                stockSeconds = measure(from, to, stockCalls, stockTally);
            } else {
                stockSeconds = measure(from, to, stockCalls, stockTally);
                packSeconds = measure(from, to, packCalls, packTally);
            }
            sliceRatios.add(stockSeconds / packSeconds);
        }
        return new Round(packTally.throughput(), stockTally.throughput(), packTally.medianLatencyMillis(), stockTally.medianLatencyMillis(),
                sliceRatios);
    }

    /** Calls {@code from} (inclusive) to {@code to} over {@link #THREADS} threads, added to {@code tally}; returns the seconds taken. */
    private static double measure(int from, int to, IntFunction<Callable<Long>> callFactory, Tally tally) throws Exception {
        List<Callable<Long>> calls = new ArrayList<>();
        for (int i = from; i < to; i++) {
            calls.add(callFactory.apply(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            long start = System.nanoTime();
            for (Future<Long> result : pool.invokeAll(calls)) {
                tally.latencies.add(result.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            tally.seconds += seconds;
            tally.requests += calls.size();
            return seconds;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Code exchanges of codes prepared beforehand (sign-in, consent and authorization requests are not measured). */
    private static IntFunction<Callable<Long>> codeExchange(Server server) {
        Client client = Client.register(server);
        List<String[]> codes = new ArrayList<>();
        for (int i = 0; i < CODES_PER_ROUND; i++) {
            codes.add(client.code());
        }
        return i -> () -> timed(() -> client.exchange(codes.get(i)[0], codes.get(i)[1]));
    }

    /** Refreshes along {@link #THREADS} rotating refresh-token chains: each refresh uses its chain's newest token. */
    private static IntFunction<Callable<Long>> refresh(Server server) {
        List<Client> chains = new ArrayList<>();
        List<String[]> refreshTokens = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Client client = Client.register(server);
            chains.add(client);
            String[] code = client.code();
            refreshTokens.add(new String[] {(String) Json.object(client.exchange(code[0], code[1]).body()).get("refresh_token")});
        }
        return i -> () -> {
            int chain = i % THREADS;
            synchronized (refreshTokens.get(chain)) {
                return timed(() -> {
                    HttpResponse<String> response = chains.get(chain).refresh(refreshTokens.get(chain)[0]);
                    refreshTokens.get(chain)[0] = (String) Json.object(response.body()).get("refresh_token");
                    return response;
                });
            }
        };
    }

    private static IntFunction<Callable<Long>> registration(Server server) {
        return i -> () -> timed(() -> new Http().postJson(server.registrationEndpoint(), Json.write(server.registration())));
    }

    private static long timed(Callable<HttpResponse<String>> call) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = call.call();
        long elapsed = System.nanoTime() - start;
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Benchmark request failed: " + response.statusCode() + " " + response.body());
        }
        return elapsed;
    }

    /** A registered client with its own sign-in session (cookies), signed in as alice. */
    static final class Client {
        final Http http = new Http();
        final Server server;
        final String clientId;

        private Client(Server server, String clientId) {
            this.server = server;
            this.clientId = clientId;
        }

        static Client register(Server server) {
            HttpResponse<String> response = new Http().postJson(server.registrationEndpoint(), Json.write(server.registration()));
            if (response.statusCode() != 201) {
                throw new IllegalStateException(server.name() + " registration failed: " + response.body());
            }
            return new Client(server, (String) Json.object(response.body()).get("client_id"));
        }

        /** An authorization code and its PKCE verifier (sign-in only the first time; consent when asked). */
        String[] code() {
            Pkce pkce = Pkce.create();
            Map<String, String> request = new LinkedHashMap<>();
            request.put("response_type", "code");
            request.put("client_id", clientId);
            request.put("redirect_uri", REDIRECT_URI);
            request.put("scope", "mcp:tools");
            request.put("state", "s");
            request.put("code_challenge", pkce.challenge());
            request.put("code_challenge_method", "S256");
            request.put("resource", RESOURCE);
            HttpResponse<String> response = http.followWithinServer(http.get(server.issuer() + "/protocol/openid-connect/auth?" + Http.form(request)));
            // Sign-in once per client (then the SSO cookie); consent whenever asked (the pack asks self-registered
            // clients every time).
            if (response.statusCode() == 200 && response.body().contains("id=\"kc-form-login\"")) {
                response = submit(response, "kc-form-login", Map.of("username", "alice", "password", "alice"));
            }
            if (response.statusCode() == 200 && response.body().contains("id=\"kc-oauth\"")) {
                response = submit(response, null, Map.of("accept", ""));
            }
            URI location = URI.create(response.headers().firstValue("Location").orElseThrow(
                    () -> new IllegalStateException("No redirect from " + server.name())));
            for (String pair : location.getRawQuery().split("&")) {
                if (pair.startsWith("code=")) {
                    return new String[] {URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8), pkce.verifier()};
                }
            }
            throw new IllegalStateException(server.name() + " answered without a code: " + location);
        }

        private HttpResponse<String> submit(HttpResponse<String> page, String formId, Map<String, String> fields) {
            return http.followWithinServer(HtmlForm.find(page, formId).submit(http, fields));
        }

        HttpResponse<String> exchange(String code, String verifier, String... headers) {
            return http.postForm(server.issuer() + "/protocol/openid-connect/token", Map.of("grant_type", "authorization_code",
                    "client_id", clientId, "code", code, "redirect_uri", REDIRECT_URI, "code_verifier", verifier, "resource", RESOURCE), headers);
        }

        HttpResponse<String> refresh(String refreshToken) {
            return http.postForm(server.issuer() + "/protocol/openid-connect/token", Map.of("grant_type", "refresh_token",
                    "client_id", clientId, "refresh_token", refreshToken, "resource", RESOURCE));
        }
    }

    /** What an MCP client sends to the pack. */
    static Map<String, Object> mcpRegistration() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_name", "bench");
        body.put("redirect_uris", List.of(REDIRECT_URI));
        body.put("grant_types", List.of("authorization_code", "refresh_token"));
        body.put("response_types", List.of("code"));
        body.put("token_endpoint_auth_method", "none");
        body.put("scope", "openid mcp:tools");
        body.put("application_type", "native");
        return body;
    }

    /**
     * The closest body stock Keycloak accepts (no unknown members, no openid scope). Without {@code scope}: stock
     * registration turns a {@code scope} into the client's only optional scopes next to {@code basic} alone, while
     * the pack keeps the realm's default scopes (roles, profile, ...) that shape every token; without it both
     * servers give the client the realm's default scopes, {@code mcp:tools} being one of the stock realm's optional ones.
     */
    static Map<String, Object> stockRegistration() {
        Map<String, Object> body = mcpRegistration();
        body.remove("application_type");
        body.remove("scope");
        return body;
    }

    /**
     * The demo realm as the pack runs it, with what both servers get for the run: {@code mcp:tools} among the realm's
     * optional client scopes (stock registration has no other way to give it to a client; for the pack it spares one
     * scope assignment per registration), and no registration rate limit or MCP client cap in the way.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> packShape(Map<String, Object> realm) {
        realm.put("defaultOptionalClientScopes", List.of("mcp:tools"));
        Map<String, Object> components = (Map<String, Object>) realm.get("components");
        for (Object policy : (List<Object>) components.get("org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy")) {
            Map<String, Object> config = (Map<String, Object>) ((Map<String, Object>) policy).get("config");
            config.put("registrations-per-minute", List.of("0"));
            config.put("max-mcp-clients", List.of("100000"));
        }
        return realm;
    }

    /**
     * The demo realm without the pack: no MCP switch, theme, audience mapper or MCP registration policy; anonymous registration opened the stock way (Keycloak's default anonymous policies, Trusted Hosts
     * listing this machine). Users, scopes, clients, token and session settings stay the same.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> stockShape(Map<String, Object> realm) {
        realm.remove("loginTheme");
        realm.put("eventsListeners", List.of("jboss-logging"));
        realm.put("defaultOptionalClientScopes", List.of("mcp:tools"));
        ((Map<String, Object>) realm.get("attributes")).remove("mcp.enabled");
        for (Object scope : (List<Object>) realm.get("clientScopes")) {
            ((Map<String, Object>) scope).remove("protocolMappers");
        }
        Map<String, Object> trustedHosts = new LinkedHashMap<>();
        trustedHosts.put("name", "Trusted Hosts");
        trustedHosts.put("providerId", "trusted-hosts");
        trustedHosts.put("subType", "anonymous");
        trustedHosts.put("config", Map.of("trusted-hosts", List.of("localhost", "127.0.0.1"),
                "host-sending-registration-request-must-match", List.of("true"), "client-uris-must-match", List.of("true")));
        Map<String, Object> consent = Map.of("name", "Consent Required", "providerId", "consent-required", "subType", "anonymous");
        Map<String, Object> scopes = Map.of("name", "Allowed Client Scopes", "providerId", "allowed-client-templates",
                "subType", "anonymous", "config", Map.of("allowed-client-scopes", List.of("mcp:tools"), "allow-default-scopes", List.of("true")));
        // Keycloak's default anonymous policies, as a new realm gets them; the client cap raised for the run.
        Map<String, Object> fullScopeDisabled = Map.of("name", "Full Scope Disabled", "providerId", "scope", "subType", "anonymous");
        Map<String, Object> maxClients = Map.of("name", "Max Clients Limit", "providerId", "max-clients", "subType", "anonymous",
                "config", Map.of("max-clients", List.of("100000")));
        realm.put("components", Map.of("org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy",
                List.of(trustedHosts, consent, fullScopeDisabled, maxClients, scopes)));
        return realm;
    }

    /**
     * A like-for-like comparison needs like-for-like tokens: the same claims and scopes from both servers (the pack
     * adds its MCP server to {@code aud}, which is its point). Stops the run otherwise.
     */
    private static void compareTokens(Server pack, Server stock) {
        Sample packSample = Sample.of(pack);
        Sample stockSample = Sample.of(stock);
        System.out.printf(Locale.ROOT, "access token claims%n  pack:  %s%n  stock: %s%n", packSample.claims(), stockSample.claims());
        if (!packSample.like(stockSample)) {
            throw new IllegalStateException("The two servers issue different tokens; the comparison would not be like for like");
        }
    }

    /** What one sign-in yields: the access token's claims and the members of the code-exchange and refresh responses. */
    record Sample(Map<String, Object> claims, Set<String> exchangeMembers, Set<String> refreshMembers) {

        static Sample of(Server server) {
            Client client = Client.register(server);
            String[] code = client.code();
            Map<String, Object> exchanged = Json.object(client.exchange(code[0], code[1]).body());
            Map<String, Object> refreshed = Json.object(client.refresh((String) exchanged.get("refresh_token")).body());
            String accessToken = (String) refreshed.get("access_token");
            Map<String, Object> claims = new TreeMap<>(AccessTokens.claims(accessToken));
            // Values that differ by nature between two servers and two requests.
            for (String varying : List.of("exp", "iat", "jti", "iss", "sid", "sub", "azp", "auth_time")) {
                claims.computeIfPresent(varying, (name, value) -> "…");
            }
            return new Sample(claims, new TreeSet<>(exchanged.keySet()), new TreeSet<>(refreshed.keySet()));
        }

        /** Same claims but {@code aud} (naming the MCP server is the pack's point), same scopes, same responses. */
        boolean like(Sample other) {
            return claimNames().equals(other.claimNames()) && scopes().equals(other.scopes())
                    && exchangeMembers.equals(other.exchangeMembers) && refreshMembers.equals(other.refreshMembers);
        }

        private Set<String> claimNames() {
            Set<String> names = new TreeSet<>(claims.keySet());
            names.remove("aud");
            return names;
        }

        private Set<String> scopes() {
            return new TreeSet<>(List.of(String.valueOf(claims.get("scope")).split(" ")));
        }
    }


    private static String report(Map<String, List<Round>> results) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%n| operation | ratio pack/stock, median of slice pairs | round ratios min–median–max | pack req/s | stock req/s | pack p50 ms | stock p50 ms |%n"
                        + "| --- | ---: | ---: | ---: | ---: | ---: | ---: |%n"));
        results.forEach((operation, rounds) -> {
            List<Round> byRatio = new ArrayList<>(rounds);
            byRatio.sort(Comparator.comparingDouble(Round::ratio));
            Round median = byRatio.get(byRatio.size() / 2);
            List<Double> sliceRatios = new ArrayList<>(rounds.stream().flatMap(round -> round.sliceRatios().stream()).toList());
            Collections.sort(sliceRatios);
            table.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f–%.3f–%.3f | %.1f | %.1f | %.1f | %.1f |%n", operation,
                    sliceRatios.get(sliceRatios.size() / 2), byRatio.get(0).ratio(), median.ratio(), byRatio.get(byRatio.size() - 1).ratio(),
                    median.pack(), median.stock(), median.packLatency(), median.stockLatency()));
        });
        return table.append(String.format(Locale.ROOT,
                "%n%d rounds after %d warm-up rounds, %d threads, %d alternating slices; per round and server %d code exchanges, %d refreshes, %d registrations.%n",
                ROUNDS, WARM_UP_ROUNDS, THREADS, SLICES, CODES_PER_ROUND, THREADS * REFRESHES_PER_THREAD, REGISTRATIONS_PER_ROUND)).toString();
    }

    /** Every round's throughputs and ratio, to see the spread behind the medians. */
    private static String rounds(Map<String, List<Round>> results) {
        StringBuilder rows = new StringBuilder();
        results.forEach((operation, rounds) -> {
            rows.append(String.format(Locale.ROOT, "%-14s", operation));
            rounds.forEach(round -> rows.append(String.format(Locale.ROOT, "  %6.1f/%6.1f=%.3f", round.pack(), round.stock(), round.ratio())));
            rows.append(System.lineSeparator());
        });
        return rows.toString();
    }
}
