package dev.keycloakmcp.sample;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;

/**
 * Verifies bearer tokens by RFC 7662 introspection at the realm, authenticated with the server's own client
 * credentials. A token is accepted only if it is active, was issued by the configured issuer and names this
 * server's canonical URL in {@code aud} (RFC 8707): a token meant for another server is refused.
 */
public class TokenIntrospector {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final TypeRef<Map<String, Object>> JSON_OBJECT = new TypeRef<>() {
    };

    private final SampleServerConfig config;
    private final URI introspectionEndpoint;
    private final HttpClient http;
    private final McpJsonMapper json = McpJsonDefaults.getMapper();

    TokenIntrospector(SampleServerConfig config, URI introspectionEndpoint, HttpClient http) {
        this.config = config;
        this.introspectionEndpoint = introspectionEndpoint;
        this.http = http;
    }

    /** Reads the introspection endpoint from the issuer's discovery document; fails with a clear message. */
    public static TokenIntrospector discover(SampleServerConfig config) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        URI discovery = URI.create(config.issuer() + "/.well-known/openid-configuration");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(discovery).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Issuer metadata " + discovery + " answered HTTP " + response.statusCode()
                        + ": check MCP_ISSUER (" + config.issuer() + ")");
            }
            Map<String, Object> metadata = McpJsonDefaults.getMapper().readValue(response.body(), JSON_OBJECT);
            if (!config.issuer().equals(metadata.get("issuer"))) {
                throw new IllegalStateException("Issuer metadata at " + discovery + " names issuer " + metadata.get("issuer")
                        + ", not " + config.issuer());
            }
            Object endpoint = metadata.get("introspection_endpoint");
            if (!(endpoint instanceof String url)) {
                throw new IllegalStateException("Issuer metadata at " + discovery + " has no introspection_endpoint");
            }
            return new TokenIntrospector(config, URI.create(url), http);
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalStateException("Cannot read issuer metadata at " + discovery + " (" + reason
                    + "): is Keycloak running and MCP_ISSUER right?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + discovery, e);
        }
    }

    /** The grant of a valid token for this server, or empty for any token that must be refused. */
    public Optional<AccessGrant> verify(String token) throws IOException, InterruptedException {
        String credentials = URLEncoder.encode(config.clientId(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(config.clientSecret(), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(introspectionEndpoint)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                        + "&token_type_hint=access_token"))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Introspection answered HTTP " + response.statusCode());
        }
        return accept(config, json.readValue(response.body(), JSON_OBJECT));
    }

    /** The acceptance rule on an introspection response, apart from I/O so that it is tested on its own. */
    static Optional<AccessGrant> accept(SampleServerConfig config, Map<String, Object> claims) {
        if (!Boolean.TRUE.equals(claims.get("active"))) {
            return Optional.empty();
        }
        if (!config.issuer().equals(claims.get("iss"))) {
            return Optional.empty();
        }
        if (!audiences(claims.get("aud")).contains(config.resource())) {
            return Optional.empty();
        }
        Object scope = claims.get("scope");
        Set<String> scopes = scope instanceof String s ? new LinkedHashSet<>(Arrays.asList(s.split(" "))) : Set.of();
        return Optional.of(new AccessGrant((String) claims.get("sub"), (String) claims.get("username"),
                (String) claims.get("client_id"), scopes));
    }

    private static Collection<?> audiences(Object aud) {
        if (aud instanceof Collection<?> list) {
            return list;
        }
        return aud == null ? List.of() : List.of(aud);
    }
}
