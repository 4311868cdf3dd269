package dev.keycloakmcp.cimd.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.registration.ClientMetadataJson;

/** The fetcher against a document server on this host (so with the development allowance, except where refused). */
class DocumentFetcherTest {

    /** Documents a lenient parser would accept: data after the object, a member twice, a lone surrogate, Latin-1, a number as scope. */
    private static final byte[][] NOT_STRICT = {
            "{\"client_id\":\"x\"} {\"client_id\":\"y\"}".getBytes(StandardCharsets.UTF_8),
            "{\"client_id\":\"x\"} trailing".getBytes(StandardCharsets.UTF_8),
            "{\"client_id\":\"x\",\"client_id\":\"y\"}".getBytes(StandardCharsets.UTF_8),
            "{\"client_name\":\"\\ud800\"}".getBytes(StandardCharsets.UTF_8),
            "{\"client_name\":\"Caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1),
            "{\"client_name\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_16)};

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void serveDocuments() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        route("/client.json", 200, "application/json", "{\"client_id\":\"x\",\"redirect_uris\":[\"http://127.0.0.1/cb\"]}", 0);
        route("/array.json", 200, "application/json", "[1,2]", 0);
        route("/page.html", 200, "text/html", "<html></html>", 0);
        route("/broken.json", 200, "application/json", "{\"client_id\":", 0);
        route("/big.json", 200, "application/json", "{\"pad\":\"" + "x".repeat(10_000) + "\"}", 0);
        route("/slow.json", 200, "application/json", "{}", 3000);
        route("/missing.json", 404, "application/json", "{}", 0);
        for (int i = 0; i < NOT_STRICT.length; i++) {
            route("/not-strict-" + i + ".json", 200, "application/json", NOT_STRICT[i], 0);
        }
        server.createContext("/redirect.json", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().set("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/moved.json", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().set("Location", "/client.json");
            exchange.sendResponseHeaders(301, -1);
            exchange.close();
        });
        server.createContext("/loop.json", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().set("Location", "/loop.json?" + requests.get());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/drip-slowly.json", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try {
                // One byte every 300 ms: each read is in time, the whole body is not.
                for (int i = 0; i < 20; i++) {
                    exchange.getResponseBody().write(' ');
                    exchange.getResponseBody().flush();
                    Thread.sleep(300);
                }
                exchange.getResponseBody().write("{}".getBytes(StandardCharsets.UTF_8));
            } catch (IOException | InterruptedException e) {
                // the fetcher gave up
            }
            exchange.close();
        });
        server.start();
    }

    private void route(String path, int status, String type, String body, long delayMillis) {
        route(path, status, type, body.getBytes(StandardCharsets.UTF_8), delayMillis);
    }

    private void route(String path, int status, String type, byte[] bytes, long delayMillis) {
        server.createContext(path, exchange -> {
            requests.incrementAndGet();
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "max-age=600");
            try {
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            } catch (IOException e) {
                // the fetcher gave up
            }
            exchange.close();
        });
    }

    private final FetchWorkers workers = new FetchWorkers();

    @AfterEach
    void stop() {
        server.stop(0);
        workers.close();
    }

    /** What a fetch and the registration parser make of a document: its JSON and Cache-Control, or the refusal. */
    private record Outcome(ObjectNode document, String cacheControl, String refusal) {
    }

    private static final DocumentFetcher.AcceptedHosts ANY_HOST = host -> {
    };

    private Outcome fetch(String path, boolean allowLoopback) throws Exception {
        return fetch(path, allowLoopback, false);
    }

    private Outcome fetch(String path, boolean allowLoopback, boolean followRedirects) throws Exception {
        DocumentFetcher fetcher = new DocumentFetcher(new DocumentFetcher.Settings(Duration.ofSeconds(2),
                Duration.ofMillis(500), 5000, allowLoopback, followRedirects), (SSLSocketFactory) SSLSocketFactory.getDefault(), ANY_HOST, workers);
        return outcome(fetcher, "http://localhost:" + server.getAddress().getPort() + path);
    }

    private static Outcome outcome(DocumentFetcher fetcher, String url) {
        try {
            DocumentFetcher.Fetched fetched = fetcher.fetch(URI.create(url));
            return new Outcome(ClientMetadataJson.read(fetched.body()), fetched.cacheControl(), null);
        } catch (Refusal refusal) {
            return new Outcome(null, null, refusal.description());
        }
    }

    /** What Keycloak's metrics registry would see: the global registry records only into the registries added to it. */
    private static final SimpleMeterRegistry METRICS = new SimpleMeterRegistry();

    @BeforeAll
    static void recordMetrics() {
        Metrics.globalRegistry.add(METRICS);
    }

    @AfterAll
    static void stopRecordingMetrics() {
        Metrics.globalRegistry.remove(METRICS);
    }

    private static long fetchesEndedWith(String outcome) {
        Timer timer = METRICS.find("keycloak.mcp.metadata.document.fetch").tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    /** Fetched is what the fetcher got, whatever the parser makes of it next ({@code broken.json}). */
    @ParameterizedTest(name = "{0} (loopback {1}, redirects {2}): {3}")
    @CsvSource({
        "/client.json, true, false, fetched",
        "/broken.json, true, false, fetched",
        "/client.json, false, false, refused_address",
        "/redirect.json, true, false, redirect",
        "/redirect.json, true, true, redirect",
        "/loop.json, true, true, redirect",
        "/slow.json, true, false, timeout",
        "/big.json, true, false, too_large",
        "/page.html, true, false, not_json",
        "/missing.json, true, false, http_status",
    })
    void eachFetchIsTimedByHowItEnded(String path, boolean allowLoopback, boolean followRedirects, String outcome) throws Exception {
        long before = fetchesEndedWith(outcome);
        fetch(path, allowLoopback, followRedirects);
        assertEquals(before + 1, fetchesEndedWith(outcome));
    }

    @Test
    void aHostNobodyListensOnIsUnreachable() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        long before = fetchesEndedWith("unreachable");
        DocumentFetcher fetcher = new DocumentFetcher(new DocumentFetcher.Settings(Duration.ofSeconds(2),
                Duration.ofMillis(500), 5000, true, false), (SSLSocketFactory) SSLSocketFactory.getDefault(), ANY_HOST, workers);
        assertTrue(outcome(fetcher, "http://localhost:" + closed + "/x.json").refusal().contains("could not be fetched"));
        assertEquals(before + 1, fetchesEndedWith("unreachable"));
    }

    @Test
    void aJsonObjectIsFetchedWithItsCacheControl() throws Exception {
        Outcome fetched = fetch("/client.json", true);
        assertNull(fetched.refusal());
        assertEquals("x", fetched.document().get("client_id").asText());
        assertEquals("max-age=600", fetched.cacheControl());
    }

    @Test
    void internalAddressesAreRefusedBeforeAnyConnection() throws Exception {
        Outcome fetched = fetch("/client.json", false);
        assertTrue(fetched.refusal().contains("resolves to a loopback address"), fetched.refusal());
        assertEquals(0, requests.get(), "nothing was sent");
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        Outcome fetched = fetch("/redirect.json", true);
        assertTrue(fetched.refusal().contains("redirects are not followed"), fetched.refusal());
        assertEquals(1, requests.get());
    }

    @Test
    void followedRedirectsReachOnlyPublicHttps() throws Exception {
        assertEquals("x", fetch("/moved.json", true, true).document().get("client_id").asText(), "same-host redirect, development allowance");
        Outcome metadataService = fetch("/redirect.json", true, true);
        assertTrue(metadataService.refusal().contains("not https"), metadataService.refusal());
        Outcome loop = fetch("/loop.json", true, true);
        assertTrue(loop.refusal().contains("redirects too often"), loop.refusal());
    }

    @Test
    void drippedHeadersAreCutOffAtTheDeadline() throws Exception {
        try (java.net.ServerSocket dripping = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (java.net.Socket socket = dripping.accept()) {
                    socket.getInputStream().read(new byte[4096]);
                    // Each byte within the read timeout, the whole status line and headers far beyond it.
                    for (char c : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: aaaaaaaaaaaaaaaaaaaa\r\n".toCharArray()) {
                        socket.getOutputStream().write(c);
                        socket.getOutputStream().flush();
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException e) {
                    // the fetcher gave up
                }
            });
            server.setDaemon(true);
            server.start();
            DocumentFetcher fetcher = new DocumentFetcher(new DocumentFetcher.Settings(Duration.ofSeconds(2),
                    Duration.ofMillis(500), 5000, true, false), (SSLSocketFactory) SSLSocketFactory.getDefault(), ANY_HOST, workers);
            long start = System.nanoTime();
            Outcome fetched = outcome(fetcher, "http://localhost:" + dripping.getLocalPort() + "/x.json");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(fetched.refusal().contains("did not answer in time"), fetched.refusal());
            assertTrue(millis < 2000, "ended at the deadline, not after the whole drip: " + millis + " ms");
        }
    }

    @Test
    void aRedirectToADomainTheRealmDoesNotAcceptIsRefused() throws Exception {
        DocumentFetcher fetcher = new DocumentFetcher(new DocumentFetcher.Settings(Duration.ofSeconds(2),
                Duration.ofMillis(500), 5000, true, true), (SSLSocketFactory) SSLSocketFactory.getDefault(), host -> {
                    throw Refusal.invalidClient("documents from " + host + " are not accepted in this realm");
                }, workers);
        Outcome fetched = outcome(fetcher, "http://localhost:" + server.getAddress().getPort() + "/moved.json");
        assertTrue(fetched.refusal().contains("redirects elsewhere: documents from localhost are not accepted"), fetched.refusal());
    }

    @Test
    void aBodyDrippedSlowerThanTheTimeoutIsCutOff() throws Exception {
        Outcome fetched = fetch("/drip-slowly.json", true);
        assertTrue(fetched.refusal().contains("did not answer in time"), fetched.refusal());
    }

    @Test
    void slowLargeBrokenOrNonObjectDocumentsAreRefused() throws Exception {
        assertTrue(fetch("/slow.json", true).refusal().contains("did not answer in time"));
        assertTrue(fetch("/big.json", true).refusal().contains("larger than 5000 bytes"));
        assertTrue(fetch("/broken.json", true).refusal().contains("not valid JSON"));
        assertTrue(fetch("/array.json", true).refusal().contains("not a JSON object"));
        assertTrue(fetch("/page.html", true).refusal().contains("not served as JSON"));
        assertTrue(fetch("/missing.json", true).refusal().contains("HTTP 404"));
    }

    /** One parser for documents and registration bodies: the same defects, the same reason. */
    @Test
    void documentsGetTheRegistrationParsersReasons() throws Exception {
        for (int i = 0; i < NOT_STRICT.length; i++) {
            byte[] document = NOT_STRICT[i];
            String reason = assertThrows(Refusal.class, () -> ClientMetadataJson.read(document)).getMessage();
            assertEquals(reason, fetch("/not-strict-" + i + ".json", true).refusal());
        }
    }
}
