package dev.keycloakmcp.bench;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.keycloakmcp.bench.TokenEndpointComparison.Client;
import dev.keycloakmcp.bench.TokenEndpointComparison.Server;
import dev.keycloakmcp.it.support.DocumentServer;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.KeycloakNode;
import dev.keycloakmcp.it.support.KeycloakRuntime;
import dev.keycloakmcp.it.support.LocalCertificate;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.it.support.PostgresServer;
import dev.keycloakmcp.it.support.ProductionBuild;
import dev.keycloakmcp.it.support.ProductionStack;
import dev.keycloakmcp.it.support.ReaperLog;
import dev.keycloakmcp.it.support.SpiOption;

/**
 * {@code ./mvnw -Pbench-scale}: what clients, users and admins wait on as a realm grows to 1,000, 10,000 and 100,000
 * clients (docs/benchmarks.md, issue 17). One Keycloak node with the pack in production mode on PostgreSQL (the
 * deployment guide's build, {@code start --optimized}, a fixed heap); the realm grown between sizes by
 * {@link ClientFill} (a share {@code bench.scale.mcp-share} of self-registered MCP clients, the rest ordinary clients).
 * At each size, one request at a time: registration, a metadata document's first authorization, code exchange,
 * refresh, the admin console's client list and search; then a reaper pass over {@code bench.scale.reaped} clients made
 * unused, with its duration, the node's heap during it ({@link HeapWatch}) and refreshes made meanwhile.
 * Knobs: {@code -Dbench.scale.sizes=1000,10000,100000 -Dbench.scale.samples=100 -Dbench.scale.documents=50
 * -Dbench.scale.admin=20 -Dbench.scale.reaped=1000 -Dbench.scale.warmup=50 -Dbench.scale.mcp-share=0.5
 * -Dbench.scale.heap="-Xms256m -Xmx768m"},
 * and {@code -Dbench.jfr=<dir>} for a flight recording of the node.
 */
public final class ScaleBenchmark {

    static final List<Integer> SIZES = Arrays.stream(System.getProperty("bench.scale.sizes", "1000,10000,100000").split(","))
            .map(String::trim).map(Integer::valueOf).toList();
    static final int SAMPLES = Integer.getInteger("bench.scale.samples", 100);
    static final int DOCUMENTS = Integer.getInteger("bench.scale.documents", 50);
    static final int ADMIN_SAMPLES = Integer.getInteger("bench.scale.admin", 20);
    /** Clients made unused before each reaper pass: the default {@code max-mcp-clients}, all a realm can have by default. */
    static final int REAPED = Integer.getInteger("bench.scale.reaped", 1000);
    static final double MCP_SHARE = Double.parseDouble(System.getProperty("bench.scale.mcp-share", "0.5"));
    static final String HEAP = System.getProperty("bench.scale.heap", "-Xms256m -Xmx768m");
    /** Requests of each kind before measuring at a size; twice as many before the first (a new JVM's JIT). */
    static final int WARM_UP = Integer.getInteger("bench.scale.warmup", 50);
    static final int REAPER_INTERVAL_SECONDS = 10;
    static final long LIFESPAN_SECONDS = 86_400;
    static final Duration PASS_TIMEOUT = Duration.ofMinutes(15);
    static final long LOG_POLL_MILLIS = 500;
    static final Pattern PASS = ReaperLog.passOver(AdminApi.REALM);
    static final String DOCUMENT = """
            {"client_id":"%s","client_name":"Bench document client","redirect_uris":["REDIRECT"],
             "grant_types":["authorization_code","refresh_token"],"response_types":["code"],"token_endpoint_auth_method":"none"}"""
            .replace("REDIRECT", TokenEndpointComparison.REDIRECT_URI);

    private ScaleBenchmark() {
    }

    /** Latencies of one operation at one size, in nanoseconds. */
    record Latencies(long[] nanos) {
        double percentileMillis(int p) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
        }

        double maxMillis() {
            return Arrays.stream(nanos).max().orElse(0) / 1e6;
        }
    }

    /** A reaper pass: clients removed of those found unused, its duration, the heap during it, refreshes meanwhile. */
    record Pass(int removed, int candidates, long millis, double peakHeapMb, double oldGenerationMb, Latencies refreshes) {
    }

    /** Everything measured at one size. */
    record SizeResult(long clients, Map<String, Latencies> operations, Pass pass) {
    }

    public static void main(String[] args) throws Exception {
        ProductionStack.Settings tests = ProductionStack.Settings.fromSystemProperties(REAPER_INTERVAL_SECONDS, List.of());
        Path dir = Files.createDirectories(tests.dir().resolveSibling("bench-scale"));
        Path realmFile = TokenEndpointComparison.RealmFiles.write(tests.realmFile(), dir.resolve("realm")).pack();
        LocalCertificate certificate = LocalCertificate.create(dir.resolve("tls"), "bench");
        certificate.trustInThisJvm();
        List<String> options = ProductionBuild.recipeOptions(tests.guide());
        System.out.println("Building Keycloak with the pack: kc.sh build " + String.join(" ", options));
        ProductionBuild build = ProductionBuild.build(tests.distribution(), tests.packDir(), options, dir.resolve("build/keycloak"),
                dir.resolve("build.log"));
        KeycloakDistribution.deleteRecursively(dir.resolve("postgres"));
        try (DocumentServer documents = DocumentServer.start(dir.resolve("documents"));
                PostgresServer postgres = PostgresServer.start(dir.resolve("postgres"), dir.resolve("postgres.log"))) {
            Map<String, String> database = Map.of("KC_DB_URL", postgres.createDatabase("scale"), "KC_DB_USERNAME", PostgresServer.USER,
                    "KC_DB_PASSWORD", "unused");
            Map<String, String> environment = new HashMap<>(database);
            environment.put("JAVA_OPTS_KC_HEAP", HEAP);
            environment.putAll(TokenEndpointComparison.profiling("scale"));
            KeycloakNode node = KeycloakNode.onLoopback("scale", build.nodeHome(dir.resolve("node")), dir.resolve("node.log"), certificate,
                    environment, http -> List.of("--hostname=http://localhost:" + http,
                            SpiOption.REAPER_INTERVAL.withValue(REAPER_INTERVAL_SECONDS),
                            "--truststore-paths=" + documents.certificate(), SpiOption.LOOPBACK_DOCUMENTS.withValue(true)));
            ProductionStack.importRealm(node, realmFile, database, TokenEndpointComparison.RESOURCE, dir.resolve("import.log"));
            try (node; Connection db = postgres.connect("scale")) {
                node.start();
                node.awaitReady(1);
                run(node, documents, db);
            }
        }
    }

    private static void run(KeycloakNode node, DocumentServer documents, Connection db) throws Exception {
        KeycloakRuntime runtime = runtime(node);
        Server server = Server.pack(runtime.issuer(AdminApi.REALM));
        AdminApi admin = new AdminApi(runtime);
        // Room for every client of the run; the reaper's lifespan a day; one document host for all documents.
        admin.setRegistrationPolicy("max-mcp-clients", "10000000");
        admin.setRegistrationPolicy("unused-client-lifespan", String.valueOf(LIFESPAN_SECONDS));
        admin.setRegistrationPolicy("mcp-client-metadata-documents", "max-clients-per-host", List.of("0"));
        ClientFill fill = ClientFill.of(db, AdminApi.REALM, Client.register(server).clientId);
        Map<Integer, SizeResult> results = new LinkedHashMap<>();
        for (int size : SIZES) {
            long now = Instant.now().getEpochSecond();
            Instant filling = Instant.now();
            List<String> mcpIds = fill.growTo(size, MCP_SHARE, now);
            System.out.printf(Locale.ROOT, "%n%,d clients in realm mcp (%,d MCP clients added) in %d s%n", fill.clients(), mcpIds.size(),
                    Duration.between(filling, Instant.now()).toSeconds());
            Map<String, Latencies> operations = new LinkedHashMap<>();
            requests(server, documents, results.isEmpty() ? 2 * WARM_UP : WARM_UP);
            operations.putAll(requests(server, documents, SAMPLES));
            operations.putAll(adminViews(admin, runtime, size));
            Pass pass = reaperPass(node, fill, server, mcpIds.subList(Math.max(0, mcpIds.size() - REAPED), mcpIds.size()), now);
            SizeResult result = new SizeResult(fill.clients(), operations, pass);
            results.put(size, result);
            System.out.println(sizeReport(size, result));
        }
        System.out.println(report(results));
        System.out.println(withoutDocumentStorage(admin, runtime, SIZES.get(SIZES.size() - 1), results.get(SIZES.get(SIZES.size() - 1))));
        List<String> errors = runtime.serverErrors();
        if (!errors.isEmpty()) {
            throw new IllegalStateException("Keycloak answered with a server error: " + errors);
        }
    }

    /** What clients and users wait on, one request at a time: {@code count} of each. */
    private static Map<String, Latencies> requests(Server server, DocumentServer documents, int count) {
        Map<String, Latencies> operations = new LinkedHashMap<>();
        Http http = new Http();
        operations.put("registration", measure(count, () -> http.postJson(server.registrationEndpoint(), Json.write(server.registration())), 201));
        // A new browser each time (no session cookie): the sign-in page, after the document's fetch and the client's creation.
        operations.put("first metadata-document authorization", measure(Math.min(count, DOCUMENTS), () -> {
            Http browser = new Http();
            return browser.followWithinServer(browser.get(server.issuer() + "/protocol/openid-connect/auth?"
                    + Http.form(documentAuthorization(documents.publish(DOCUMENT)))));
        }, 200));
        Client client = Client.register(server);
        List<String[]> codes = new ArrayList<>();
        long[] authorizations = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            codes.add(client.code());
            authorizations[i] = System.nanoTime() - start;
        }
        // The first signs in; every one asks consent (self-registered clients are asked every time).
        operations.put("authorization request to code (consent)", new Latencies(authorizations));
        String[] refreshToken = new String[1];
        int[] next = new int[1];
        operations.put("code exchange", measure(count, () -> {
            String[] code = codes.get(next[0]++);
            HttpResponse<String> response = client.exchange(code[0], code[1]);
            refreshToken[0] = refreshToken(response);
            return response;
        }, 200));
        operations.put("refresh", measure(count, () -> {
            HttpResponse<String> response = client.refresh(refreshToken[0]);
            refreshToken[0] = refreshToken(response);
            return response;
        }, 200));
        return operations;
    }

    /** An authorization request of the metadata-document client {@code clientId} (its first: Keycloak fetches the document). */
    private static Map<String, String> documentAuthorization(String clientId) {
        Pkce pkce = Pkce.create();
        Map<String, String> request = new LinkedHashMap<>();
        request.put("response_type", "code");
        request.put("client_id", clientId);
        request.put("redirect_uri", TokenEndpointComparison.REDIRECT_URI);
        request.put("scope", "mcp:tools");
        request.put("state", "s");
        request.put("code_challenge", pkce.challenge());
        request.put("code_challenge_method", "S256");
        request.put("resource", TokenEndpointComparison.RESOURCE);
        return request;
    }

    /** The admin console's Clients page: its first page, a page in the middle, a search many clients match and one only one matches. */
    private static Map<String, Latencies> adminViews(AdminApi admin, KeycloakRuntime runtime, int size) {
        String clients = runtime.baseUrl() + "/admin/realms/" + AdminApi.REALM + "/clients?max=11&first=";
        Map<String, String> views = new LinkedHashMap<>();
        views.put("admin: client list, first page", clients + "0");
        views.put("admin: client list, page in the middle", clients + size / 2);
        views.put("admin: client search, many matches", clients + "0&search=true&clientId=" + ClientFill.ORDINARY_PREFIX);
        views.put("admin: client search, one match", clients + "0&search=true&clientId=" + ClientFill.ORDINARY_PREFIX + "77");
        // The MCP access page's calls (docs/admin.md): its client list pages through the pack's directory.
        String mcp = runtime.baseUrl() + "/admin/realms/" + AdminApi.REALM + "/mcp";
        List<String> page = List.of(mcp, mcp + "/servers", mcp + "/clients?first=0&max=21", mcp + "/blocked-hosts", mcp + "/blocked-clients");
        views.put("MCP access: clients, first page", mcp + "/clients?first=0&max=21");
        views.put("MCP access: clients, page in the middle", mcp + "/clients?max=21&first=" + (int) (size * MCP_SHARE / 2));
        views.put("MCP access: clients unused for 30 days", mcp + "/clients?max=21&unusedDays=30");
        views.put("MCP access: one host's clients", mcp + "/clients?max=21&kind=metadata-document&host=bench.example");
        Map<String, Latencies> operations = new LinkedHashMap<>();
        Http http = new Http();
        views.forEach((name, url) -> {
            String bearer = "Bearer " + admin.token();
            measure(3, () -> http.get(url, "Authorization", bearer), 200);
            operations.put(name, measure(ADMIN_SAMPLES, () -> http.get(url, "Authorization", bearer), 200));
        });
        String bearer = "Bearer " + admin.token();
        // The whole page as the console loads it, its five calls one after the other (the page makes them in parallel).
        operations.put("MCP access: whole page (5 calls)", measure(ADMIN_SAMPLES, () -> {
            HttpResponse<String> last = null;
            for (String url : page) {
                last = http.get(url, "Authorization", bearer);
            }
            return last;
        }, 200));
        return operations;
    }

    /**
     * The admin views at the largest size again with the metadata-document client storage component disabled (Keycloak
     * then pages client searches in the database), next to those measured with it.
     */
    private static String withoutDocumentStorage(AdminApi admin, KeycloakRuntime runtime, int size, SizeResult with) {
        admin.setComponent(AdminApi.CLIENT_STORAGE, "mcp-client-metadata-documents", "enabled", List.of("false"));
        Map<String, Latencies> without;
        try {
            without = adminViews(admin, runtime, size);
        } finally {
            admin.setComponent(AdminApi.CLIENT_STORAGE, "mcp-client-metadata-documents", "enabled", List.of("true"));
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%nAdmin views at %,d clients, p50 / p99 ms%n"
                + "| view | document client storage on | off |%n| --- | ---: | ---: |%n", size));
        without.forEach((view, latencies) -> table.append(String.format(Locale.ROOT, "| %s | %.1f / %.1f | %.1f / %.1f |%n", view,
                with.operations().get(view).percentileMillis(50), with.operations().get(view).percentileMillis(99),
                latencies.percentileMillis(50), latencies.percentileMillis(99))));
        return table.toString();
    }

    /**
     * Makes {@code ids} unused (last used ten lifespans ago) and waits for the reaper's next pass, watching the node's
     * heap and refreshing tokens meanwhile (does a pass stall what users do?).
     */
    private static Pass reaperPass(KeycloakNode node, ClientFill fill, Server server, List<String> ids, long now) throws Exception {
        Client client = Client.register(server);
        String[] code = client.code();
        String[] refreshToken = {refreshToken(client.exchange(code[0], code[1]))};
        int logged = node.logLines().size();
        fill.lastUsed(ids, now - 10 * LIFESPAN_SECONDS);
        // Each refresh as {start, duration} in nanoseconds: those that started before the pass are left out below.
        List<long[]> refreshes = new ArrayList<>();
        AtomicBoolean passing = new AtomicBoolean(true);
        Thread user = new Thread(() -> {
            while (passing.get()) {
                long start = System.nanoTime();
                HttpResponse<String> response = client.refresh(refreshToken[0]);
                refreshes.add(new long[] {start, System.nanoTime() - start});
                refreshToken[0] = refreshToken(response);
            }
        }, "refreshes-during-pass");
        HeapWatch heap = HeapWatch.of(node.jvmPid());
        Matcher line;
        long seen;
        user.start();
        try {
            line = awaitPass(node, logged);
            seen = System.nanoTime();
        } finally {
            passing.set(false);
            user.join();
            heap.close();
        }
        long millis = Long.parseLong(line.group(3));
        // The pass began its duration before its line, which was seen within one look at the log after it was written.
        long began = seen - (millis + LOG_POLL_MILLIS) * 1_000_000L;
        long[] during = refreshes.stream().filter(refresh -> refresh[0] >= began).mapToLong(refresh -> refresh[1]).toArray();
        return new Pass(Integer.parseInt(line.group(1)), Integer.parseInt(line.group(2)), millis, heap.peakMb(), heap.oldGenerationMb(),
                new Latencies(during));
    }

    private static Matcher awaitPass(KeycloakNode node, int afterLine) throws InterruptedException {
        Instant deadline = Instant.now().plus(PASS_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            List<String> lines = node.logLines();
            for (String line : lines.subList(Math.min(afterLine, lines.size()), lines.size())) {
                Matcher matcher = PASS.matcher(line);
                if (matcher.find()) {
                    return matcher;
                }
            }
            Thread.sleep(LOG_POLL_MILLIS);
        }
        throw new IllegalStateException("No reaper pass logged within " + PASS_TIMEOUT + "; see " + node.log());
    }

    private static String refreshToken(HttpResponse<String> tokens) {
        if (tokens.statusCode() != 200) {
            throw new IllegalStateException("Token request failed: " + tokens.statusCode() + " " + tokens.body());
        }
        return (String) Json.object(tokens.body()).get("refresh_token");
    }

    /** {@code count} calls one after the other, each expected to answer {@code status}. */
    private static Latencies measure(int count, Supplier<HttpResponse<String>> call, int status) {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = call.get();
            nanos[i] = System.nanoTime() - start;
            if (response.statusCode() != status) {
                throw new IllegalStateException(response.request().method() + " " + response.uri() + " answered " + response.statusCode()
                        + " instead of " + status + ": " + response.body());
            }
        }
        return new Latencies(nanos);
    }

    private static KeycloakRuntime runtime(KeycloakNode node) {
        return new KeycloakRuntime() {
            @Override
            public String baseUrl() {
                return node.httpUrl().replace("127.0.0.1", "localhost");
            }

            @Override
            public String managementUrl() {
                return node.managementUrl();
            }

            @Override
            public List<String> logLines(String text) {
                return node.logLines().stream().filter(line -> line.contains(text)).toList();
            }

            @Override
            public void close() {
                node.close();
            }
        };
    }

    private static String sizeReport(int size, SizeResult result) {
        StringBuilder lines = new StringBuilder(String.format(Locale.ROOT, "size %,d (%,d clients after the requests):%n", size, result.clients()));
        result.operations().forEach((name, latencies) -> lines.append(String.format(Locale.ROOT, "  %-42s p50 %8.1f ms  p99 %8.1f ms  max %8.1f ms%n",
                name, latencies.percentileMillis(50), latencies.percentileMillis(99), latencies.maxMillis())));
        Pass pass = result.pass();
        return lines.append(String.format(Locale.ROOT, "  reaper pass: removed %d of %d in %d ms; heap peak %.0f MB, old generation after %.0f MB; "
                + "%d refreshes meanwhile p50 %.1f ms p99 %.1f ms%n", pass.removed(), pass.candidates(), pass.millis(), pass.peakHeapMb(),
                pass.oldGenerationMb(), pass.refreshes().nanos().length, pass.refreshes().percentileMillis(50),
                pass.refreshes().percentileMillis(99))).toString();
    }

    /** The table for docs/benchmarks.md: p50 / p99 per operation and size, the largest size's p50 over the smallest's. */
    private static String report(Map<Integer, SizeResult> results) {
        List<Integer> sizes = new ArrayList<>(results.keySet());
        StringBuilder table = new StringBuilder("\n| operation, p50 / p99 ms |");
        sizes.forEach(size -> table.append(String.format(Locale.ROOT, " %,d clients |", size)));
        table.append(" p50 ratio largest / smallest |\n| --- |").append(" ---: |".repeat(sizes.size())).append(" ---: |\n");
        SizeResult first = results.get(sizes.get(0));
        SizeResult last = results.get(sizes.get(sizes.size() - 1));
        double slowest = 0;
        for (String operation : first.operations().keySet()) {
            table.append("| ").append(operation).append(" |");
            for (int size : sizes) {
                Latencies latencies = results.get(size).operations().get(operation);
                table.append(String.format(Locale.ROOT, " %.1f / %.1f |", latencies.percentileMillis(50), latencies.percentileMillis(99)));
                slowest = Math.max(slowest, latencies.maxMillis());
            }
            table.append(String.format(Locale.ROOT, " %.2f |%n", last.operations().get(operation).percentileMillis(50)
                    / first.operations().get(operation).percentileMillis(50)));
        }
        table.append("| reaper pass: removed / found, ms |");
        sizes.forEach(size -> {
            Pass pass = results.get(size).pass();
            table.append(String.format(Locale.ROOT, " %d / %d, %,d ms |", pass.removed(), pass.candidates(), pass.millis()));
        });
        table.append(" |\n| reaper pass: ms per removed client |");
        sizes.forEach(size -> {
            Pass pass = results.get(size).pass();
            table.append(String.format(Locale.ROOT, " %.1f |", (double) pass.millis() / Math.max(1, pass.removed())));
        });
        table.append(" |\n| reaper pass: heap peak / old generation after, MB |");
        sizes.forEach(size -> table.append(String.format(Locale.ROOT, " %.0f / %.0f |", results.get(size).pass().peakHeapMb(),
                results.get(size).pass().oldGenerationMb())));
        table.append(" |\n| refresh during the pass, p50 / p99 ms |");
        sizes.forEach(size -> {
            Latencies refreshes = results.get(size).pass().refreshes();
            table.append(String.format(Locale.ROOT, " %.1f / %.1f |", refreshes.percentileMillis(50), refreshes.percentileMillis(99)));
        });
        return table.append(String.format(Locale.ROOT, " |%n%nSlowest single request measured: %.1f ms. One node, production mode on "
                + "PostgreSQL, heap %s; %d samples per request kind (%d metadata documents, %d per admin view) after %d warm-up (twice as many "
                + "before the first size); "
                + "MCP share of the added clients %.2f.%n", slowest, HEAP, SAMPLES, Math.min(SAMPLES, DOCUMENTS), ADMIN_SAMPLES, WARM_UP,
                MCP_SHARE)).toString();
    }
}
