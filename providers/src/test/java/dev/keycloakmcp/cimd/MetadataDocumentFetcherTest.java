package dev.keycloakmcp.cimd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** The fetcher against a document server on this host (so with the development allowance, except where refused). */
class MetadataDocumentFetcherTest {

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
        server.createContext("/redirect.json", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().set("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
    }

    private void route(String path, int status, String type, String body, long delayMillis) {
        server.createContext(path, exchange -> {
            requests.incrementAndGet();
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
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

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private MetadataDocumentFetcher.Fetched fetch(String path, boolean allowLoopback) throws Exception {
        MetadataDocumentFetcher fetcher = new MetadataDocumentFetcher(new MetadataDocumentFetcher.Settings(Duration.ofSeconds(2),
                Duration.ofMillis(500), 5000, allowLoopback), SSLContext.getDefault());
        String url = "http://localhost:" + server.getAddress().getPort() + path;
        return fetcher.fetch(ClientIdUrl.parse(url, true).url().orElseThrow());
    }

    @Test
    void aJsonObjectIsFetchedWithItsCacheControl() throws Exception {
        MetadataDocumentFetcher.Fetched fetched = fetch("/client.json", true);
        assertNull(fetched.refusal());
        assertEquals("x", fetched.document().get("client_id").asText());
        assertEquals("max-age=600", fetched.cacheControl());
    }

    @Test
    void internalAddressesAreRefusedBeforeAnyConnection() throws Exception {
        MetadataDocumentFetcher.Fetched fetched = fetch("/client.json", false);
        assertTrue(fetched.refusal().contains("resolves to a loopback address"), fetched.refusal());
        assertEquals(0, requests.get(), "nothing was sent");
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        MetadataDocumentFetcher.Fetched fetched = fetch("/redirect.json", true);
        assertTrue(fetched.refusal().contains("redirects are not followed"), fetched.refusal());
        assertEquals(1, requests.get());
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
}
