package dev.keycloakmcp.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * Where the tests' MCP clients publish their Client ID Metadata Documents: an https server on this host with a
 * certificate made for the run ({@link LocalCertificate}), which the test Keycloak trusts through {@code --truststore-paths}.
 * Documents can be changed, slowed down, made to redirect or to answer anything while the suite runs.
 */
public final class DocumentServer implements AutoCloseable {

    /** What a path answers. */
    public record Answer(int status, String contentType, String body, Map<String, String> headers, Duration delay) {

        public static Answer json(String body) {
            return new Answer(200, "application/json", body, Map.of("Cache-Control", "max-age=3600"), Duration.ZERO);
        }

        public Answer withHeader(String name, String value) {
            Map<String, String> more = new java.util.HashMap<>(headers);
            more.put(name, value);
            return new Answer(status, contentType, body, Map.copyOf(more), delay);
        }

        public Answer delayedBy(Duration pause) {
            return new Answer(status, contentType, body, headers, pause);
        }
    }

    private final HttpsServer server;
    private final Path certificate;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();

    private DocumentServer(HttpsServer server, Path certificate) {
        this.server = server;
        this.certificate = certificate;
    }

    /** Starts the server with a new key pair and certificate for {@code localhost} and {@code 127.0.0.1} in {@code dir}. */
    public static DocumentServer start(Path dir) throws IOException, InterruptedException {
        LocalCertificate certificate = LocalCertificate.create(dir, "documents");
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
        server.setExecutor(Executors.newCachedThreadPool());
        DocumentServer documents = new DocumentServer(server, certificate.certificatePem());
        server.createContext("/", documents::answer);
        server.start();
        return documents;
    }

    /** The PEM certificate Keycloak must trust. */
    public Path certificate() {
        return certificate;
    }

    /** The https URL of {@code path} on this server, e.g. {@code https://localhost:4711/oauth/client.json}. */
    public String url(String path) {
        return "https://localhost:" + server.getAddress().getPort() + path;
    }

    /** Publishes {@code document} ({@code %s} replaced by its own URL) at a new path; returns the URL, its client id. */
    public String publish(String document) {
        return publish(document, Answer::json);
    }

    /** Publishes {@code document} ({@code %s} replaced by its own URL) at a new path, answered as {@code answer} says. */
    public String publish(String document, java.util.function.Function<String, Answer> answer) {
        String path = "/oauth/" + java.util.UUID.randomUUID() + "/client-metadata.json";
        serve(path, answer.apply(document.replace("%s", url(path))));
        return url(path);
    }

    /** Serves {@code answer} at {@code path} from now on. */
    public void serve(String path, Answer answer) {
        answers.put(path, answer);
    }

    /** How often {@code path} was fetched. */
    public int fetches(String path) {
        return fetches.computeIfAbsent(path, p -> new AtomicInteger()).get();
    }

    /** Waits until {@code path} was fetched {@code count} times (a fetch counts as it arrives); false if not within {@code bound}. */
    public boolean awaitFetches(String path, int count, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (fetches(path) < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        fetches.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Answer answer = answers.getOrDefault(path, new Answer(404, "application/json", "{}", Map.of(), Duration.ZERO));
        try (exchange) {
            Thread.sleep(answer.delay().toMillis());
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // Keycloak gave up on a slow answer.
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
