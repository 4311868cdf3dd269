package dev.keycloakmcp.sample.auth;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import dev.keycloakmcp.sample.SampleServerConfig;

/**
 * A stand-in for Keycloak's introspection endpoint, for the unit tests of the cache: it answers with a fixed
 * status and body after a delay and counts the calls. (The integration tests use the real Keycloak.)
 */
final class StubIntrospectionEndpoint implements AutoCloseable {

    final AtomicInteger calls = new AtomicInteger();
    volatile int status = 200;
    volatile String body = "{\"active\":false}";
    volatile Duration delay = Duration.ZERO;
    private final HttpServer server;

    StubIntrospectionEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/introspect", exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            try {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            } catch (IOException e) {
                // The caller gave up (timeout test).
            }
            exchange.close();
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/introspect");
    }

    /** The sample's defaults with the given settings changed, pointed at this endpoint. */
    SampleServerConfig config(Map<String, String> settings) {
        Map<String, String> env = new java.util.HashMap<>(settings);
        env.put("MCP_INTROSPECTION_URL", uri().toString());
        return SampleServerConfig.fromEnvironment(new String[0], env);
    }

    TokenVerifier verifier(SampleServerConfig config) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(config.introspection().connectTimeout()).build();
        return new TokenVerifier(new TokenIntrospector(config, config.introspection().endpoint(), http), config.introspection());
    }

    static String active(long expiresAt) {
        return active(expiresAt, "c", "http://localhost:3000/mcp");
    }

    static String active(long expiresAt, String clientId, String audience) {
        return "{\"active\":true,\"iss\":\"http://localhost:8080/realms/mcp\",\"aud\":\"" + audience + "\",\"typ\":\"Bearer\","
                + "\"sub\":\"user-id\",\"username\":\"alice\",\"client_id\":\"" + clientId + "\",\"scope\":\"mcp:tools\",\"exp\":"
                + expiresAt + "}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
