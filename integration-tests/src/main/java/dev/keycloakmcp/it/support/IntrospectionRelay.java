package dev.keycloakmcp.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Stands between a sample MCP server and Keycloak's introspection endpoint (the server's
 * {@code MCP_INTROSPECTION_URL}) and, if given, the realm's keys ({@code MCP_JWKS_URL}): forwards every call to the
 * real Keycloak and counts them, and can slow introspection down or stop (connections refused) and start again on the
 * same port — Keycloak being slow, down and back, without stopping the Keycloak the other tests use.
 */
public final class IntrospectionRelay implements AutoCloseable {

    private final URI target;
    private final URI keysTarget;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger keyFetches = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "introspection-relay");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Duration delay = Duration.ZERO;
    private HttpServer server;

    public IntrospectionRelay(URI target) throws IOException {
        this(target, null);
    }

    /** Relays introspection to {@code target} and GETs of {@link #keysUri()} to {@code keysTarget}, the realm's JWKS. */
    public IntrospectionRelay(URI target, URI keysTarget) throws IOException {
        this.target = target;
        this.keysTarget = keysTarget;
        this.port = KeycloakDistribution.freePort();
        start();
    }

    /** The URL to configure as the sample server's introspection endpoint. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/introspect");
    }

    /** The URL to configure as the sample server's JWKS URL. */
    public URI keysUri() {
        return URI.create("http://127.0.0.1:" + port + "/keys");
    }

    /** Fetches of the realm's keys forwarded so far. */
    public int keyFetches() {
        return keyFetches.get();
    }

    /** Introspection calls forwarded so far. */
    public int calls() {
        return calls.get();
    }

    public void delay(Duration delay) {
        this.delay = delay;
    }

    /** Keycloak is down: connections are refused until {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public synchronized void start() throws IOException {
        if (server == null) {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            server.setExecutor(executor);
            server.createContext("/introspect", this::forward);
            if (keysTarget != null) {
                server.createContext("/keys", this::forwardKeys);
            }
            server.start();
        }
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            calls.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Thread.sleep(delay.toMillis());
            HttpRequest.Builder request = HttpRequest.newBuilder(target).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            for (String header : new String[] {"Authorization", "Content-Type", "Accept"}) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    request.header(header, value);
                }
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            exchange.getResponseBody().write(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The caller gave up (it timed out) or Keycloak did not answer: the sample server sees a failure either way.
        }
    }

    private void forwardKeys(HttpExchange exchange) throws IOException {
        try (exchange) {
            keyFetches.incrementAndGet();
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(keysTarget).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            exchange.getResponseBody().write(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // As for introspection: the sample server sees a failure either way.
        }
    }

    @Override
    public void close() {
        stop();
        executor.shutdownNow();
    }
}
