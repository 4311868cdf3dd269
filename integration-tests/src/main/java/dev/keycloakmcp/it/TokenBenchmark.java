package dev.keycloakmcp.it;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * {@code ./mvnw -Pbench}: throughput of the token endpoint (code exchange, refresh) and of registration on the
 * same Keycloak distribution with the pack and without it (stock flow, same realm shape), measured side by side:
 * rounds alternate between the two servers, and the report gives the ratio pack / stock of the medians.
 */
public final class TokenBenchmark {

    static final String REDIRECT_URI = "http://127.0.0.1:33418/callback";
    static final String RESOURCE = "http://localhost:3000/mcp";
    static final int THREADS = 4;
    static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    static final int CODES_PER_ROUND = Integer.getInteger("bench.codes", 200);
    static final int REFRESHES_PER_THREAD = Integer.getInteger("bench.refreshes", 50);
    static final int REGISTRATIONS_PER_ROUND = Integer.getInteger("bench.registrations", 100);

    private TokenBenchmark() {
    }

    /** One server under test: its base URL and how clients register there. */
    record Server(String name, String issuer, String registrationEndpoint, Map<String, Object> registration) {
    }

    public static void main(String[] args) throws Exception {
        Path packHome = Path.of(System.getProperty("keycloak.home"));
        Path stockHome = Path.of(System.getProperty("keycloak.stock.home"));
        Path realmFile = Path.of(System.getProperty("realm.file"));
        Path work = packHome.getParent().getParent().resolve("bench");
        Files.createDirectories(work);
        Path stockRealm = work.resolve("mcp-realm.json");
        Files.writeString(stockRealm, Json.write(stockShape(Json.object(Files.readString(realmFile)))));
        Path noPack = Files.createDirectories(work.resolve("no-pack"));

        System.out.println("Starting Keycloak with the pack and Keycloak without it ...");
        try (KeycloakDistribution pack = KeycloakDistribution.start(packHome, Path.of(System.getProperty("keycloak.pack.dir")), realmFile,
                KeycloakDistribution.freePort(), KeycloakDistribution.freePort(), profiling("pack"), List.of(), work.resolve("keycloak-pack.log"));
                KeycloakDistribution stock = KeycloakDistribution.start(stockHome, noPack, stockRealm, KeycloakDistribution.freePort(), KeycloakDistribution.freePort(),
                        profiling("stock"), List.of(), work.resolve("keycloak-stock.log"))) {
            disableRegistrationRateLimit(pack);
            Server withPack = new Server("pack", pack.issuer("mcp"), pack.issuer("mcp") + "/clients-registrations/mcp", mcpRegistration());
            Server without = new Server("stock", stock.issuer("mcp"), stock.issuer("mcp") + "/clients-registrations/openid-connect",
                    stockRegistration());

            Map<String, List<double[]>> results = new LinkedHashMap<>();
            // Round 0 warms both servers up (JIT, caches) and is not counted.
            for (int round = 0; round <= ROUNDS; round++) {
                // Alternate which server goes first, so that machine noise hits both alike.
                List<Server> order = round % 2 == 0 ? List.of(withPack, without) : List.of(without, withPack);
                Map<String, List<double[]>> target = round == 0 ? new LinkedHashMap<>() : results;
                for (Server server : order) {
                    record(target, "code exchange", server, codeExchange(server));
                    record(target, "refresh", server, refresh(server));
                    record(target, "registration", server, registration(server));
                }
                System.out.printf(Locale.ROOT, "round %d/%d%s%n", round, ROUNDS, round == 0 ? " (warm-up)" : "");
            }
            System.out.println(rounds(results));
            System.out.println(report(results));
        }
    }

    /** With {@code -Dbench.jfr=<dir>}, each Keycloak writes a Java Flight Recording there, to see where time goes. */
    private static Map<String, String> profiling(String name) {
        String dir = System.getProperty("bench.jfr");
        return dir == null ? Map.of() : Map.of("JAVA_OPTS_APPEND",
                "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + Path.of(dir, name + ".jfr").toAbsolutePath());
    }

    private static void record(Map<String, List<double[]>> results, String operation, Server server, double[] measurement) {
        results.computeIfAbsent(operation + "|" + server.name(), key -> new ArrayList<>()).add(measurement);
    }

    /** Throughput (req/s) and median latency (ms) of {@code count} calls spread over {@link #THREADS} threads. */
    private static double[] measure(int count, IntFunction<Callable<Long>> callFactory) throws Exception {
        List<Callable<Long>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(callFactory.apply(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            long start = System.nanoTime();
            List<Long> latencies = new ArrayList<>();
            for (Future<Long> result : pool.invokeAll(calls)) {
                latencies.add(result.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Collections.sort(latencies);
            return new double[] {count / seconds, latencies.get(latencies.size() / 2) / 1e6};
        } finally {
            pool.shutdownNow();
        }
    }

    private static double[] codeExchange(Server server) throws Exception {
        Client client = Client.register(server);
        List<String[]> codes = new ArrayList<>();
        for (int i = 0; i < CODES_PER_ROUND; i++) {
            codes.add(client.code());
        }
        return measure(codes.size(), i -> () -> timed(() -> client.exchange(codes.get(i)[0], codes.get(i)[1])));
    }

    private static double[] refresh(Server server) throws Exception {
        List<Client> chains = new ArrayList<>();
        List<String[]> refreshTokens = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Client client = Client.register(server);
            chains.add(client);
            String[] code = client.code();
            refreshTokens.add(new String[] {(String) Json.object(client.exchange(code[0], code[1]).body()).get("refresh_token")});
        }
        // Each chain refreshes with its newest token (rotation), one chain per thread.
        return measure(THREADS * REFRESHES_PER_THREAD, i -> () -> {
            int chain = i % THREADS;
            synchronized (refreshTokens.get(chain)) {
                return timed(() -> {
                    HttpResponse<String> response = chains.get(chain).refresh(refreshTokens.get(chain)[0]);
                    refreshTokens.get(chain)[0] = (String) Json.object(response.body()).get("refresh_token");
                    return response;
                });
            }
        });
    }

    private static double[] registration(Server server) throws Exception {
        return measure(REGISTRATIONS_PER_ROUND, i -> () -> timed(() -> new Http().postJson(server.registrationEndpoint(),
                Json.write(server.registration()))));
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

    /** A registered client with its own sign-in session (cookies), signed in as alice and consented once. */
    private static final class Client {
        final Http http = new Http();
        final Server server;
        final String clientId;
        boolean consented;

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

        /** An authorization code and its PKCE verifier (sign-in and consent only the first time). */
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
            HttpResponse<String> response = http.get(server.issuer() + "/protocol/openid-connect/auth?" + Http.form(request));
            if (!consented) {
                response = submit(response, "kc-form-login", Map.of("username", "alice", "password", "alice"));
                response = submit(response, null, Map.of("accept", ""));
                consented = true;
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
            String html = page.body();
            int formAt = formId == null ? html.indexOf("<form") : html.indexOf("id=\"" + formId + "\"");
            int actionAt = html.indexOf("action=\"", formAt) + 8;
            String action = html.substring(actionAt, html.indexOf('"', actionAt)).replace("&amp;", "&");
            Map<String, String> form = new LinkedHashMap<>(fields);
            int codeAt = html.indexOf("name=\"code\" value=\"", formAt);
            if (codeAt > 0) {
                int valueAt = codeAt + "name=\"code\" value=\"".length();
                form.put("code", html.substring(valueAt, html.indexOf('"', valueAt)));
            }
            return http.followWithinServer(http.postForm(page.uri().resolve(action).toString(), form));
        }

        HttpResponse<String> exchange(String code, String verifier) {
            return http.postForm(server.issuer() + "/protocol/openid-connect/token", Map.of("grant_type", "authorization_code",
                    "client_id", clientId, "code", code, "redirect_uri", REDIRECT_URI, "code_verifier", verifier, "resource", RESOURCE));
        }

        HttpResponse<String> refresh(String refreshToken) {
            return http.postForm(server.issuer() + "/protocol/openid-connect/token", Map.of("grant_type", "refresh_token",
                    "client_id", clientId, "refresh_token", refreshToken, "resource", RESOURCE));
        }
    }

    /** What an MCP client sends to the pack. */
    private static Map<String, Object> mcpRegistration() {
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

    /** The closest body stock Keycloak accepts (no unknown members, no openid scope). */
    private static Map<String, Object> stockRegistration() {
        Map<String, Object> body = mcpRegistration();
        body.remove("application_type");
        body.put("scope", "mcp:tools");
        return body;
    }

    /**
     * The demo realm without the pack: no MCP switch, theme, audience mapper, client policy or MCP registration
     * policy; anonymous registration opened the stock way (Trusted Hosts for this machine). Users, scopes,
     * clients, token and session settings stay the same.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> stockShape(Map<String, Object> realm) {
        realm.remove("loginTheme");
        realm.remove("clientProfiles");
        realm.remove("clientPolicies");
        realm.put("eventsListeners", List.of("jboss-logging"));
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
        realm.put("components", Map.of("org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy",
                List.of(trustedHosts, consent, scopes)));
        return realm;
    }

    private static void disableRegistrationRateLimit(KeycloakRuntime keycloak) {
        new AdminApi(keycloak).setRegistrationPolicy("registrations-per-minute", "0");
    }

    private static String report(Map<String, List<double[]>> results) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%n| operation | pack req/s | stock req/s | ratio pack/stock | pack p50 ms | stock p50 ms |%n| --- | ---: | ---: | ---: | ---: | ---: |%n"));
        for (String operation : List.of("code exchange", "refresh", "registration")) {
            double[] pack = median(results.get(operation + "|pack"));
            double[] stock = median(results.get(operation + "|stock"));
            table.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.3f | %.1f | %.1f |%n", operation, pack[0], stock[0],
                    pack[0] / stock[0], pack[1], stock[1]));
        }
        return table.append(String.format(Locale.ROOT, "%n%d rounds, %d threads; per round %d code exchanges, %d refreshes, %d registrations per server.%n",
                ROUNDS, THREADS, CODES_PER_ROUND, THREADS * REFRESHES_PER_THREAD, REGISTRATIONS_PER_ROUND)).toString();
    }

    /** Every round's throughput, to see the spread behind the medians. */
    private static String rounds(Map<String, List<double[]>> results) {
        StringBuilder rows = new StringBuilder();
        results.forEach((key, measurements) -> rows.append(String.format(Locale.ROOT, "%-22s %s%n", key,
                measurements.stream().map(m -> String.format(Locale.ROOT, "%7.1f", m[0])).reduce("", String::concat))));
        return rows.toString();
    }

    private static double[] median(List<double[]> rounds) {
        List<double[]> sorted = new ArrayList<>(rounds);
        sorted.sort((a, b) -> Double.compare(a[0], b[0]));
        return sorted.get(sorted.size() / 2);
    }
}
