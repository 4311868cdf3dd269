package dev.keycloakmcp.resourceserver;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;



/**
 * Asks Keycloak about a token by RFC 7662 introspection, authenticated with the server's own client credentials.
 * A token is accepted only if it is active, an access token, issued by the configured issuer and names this
 * server's canonical URL in {@code aud} (RFC 8707): a token meant for another server is refused. Every call is
 * bounded by the configured timeouts.
 */
public final class TokenIntrospector {

    private static final TypeRef<Map<String, Object>> JSON_OBJECT = new TypeRef<>() {
    };

    private final McpAuthSettings config;
    private final URI endpoint;
    private final HttpClient http;
    private final String authorization;
    private final McpJsonMapper json = McpJsonDefaults.getMapper();

    TokenIntrospector(McpAuthSettings config, URI endpoint, HttpClient http) {
        this.config = config;
        this.endpoint = endpoint;
        this.http = http;
        // RFC 6749 §2.3.1: form-encode id and secret before Basic encoding.
        String credentials = URLEncoder.encode(config.clientId(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(config.clientSecret(), StandardCharsets.UTF_8);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An introspector for {@code endpoint}, once Keycloak has accepted the server's credentials there, so that a
     * wrong setting stops the server at startup with a clear message.
     */
    public static TokenIntrospector connect(McpAuthSettings config, URI endpoint, HttpClient http) {
        TokenIntrospector introspector = new TokenIntrospector(config, endpoint, http);
        introspector.checkCredentials();
        return introspector;
    }

    /** Introspects a token that cannot be valid: Keycloak answers 200 for good credentials and 401 for wrong ones. */
    private void checkCredentials() {
        try {
            introspect("credentials-check").join();
        } catch (CompletionException e) {
            throw new McpAuthSetupException(e.getCause().getMessage() + ": check the client id, its secret and the introspection URL",
                    e.getCause(), McpAuthSetupException.Setting.CLIENT_ID, McpAuthSetupException.Setting.CLIENT_SECRET,
                    McpAuthSetupException.Setting.INTROSPECTION_URL);
        }
    }

    /**
     * The grant of a valid token for this server, or empty for any token that must be refused. Completes
     * exceptionally with {@link AuthorizationServerUnavailable} when Keycloak does not answer in time or refuses.
     */
    public CompletableFuture<Optional<AccessGrant>> introspect(String token) {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(config.introspection().timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                        + "&token_type_hint=access_token"))
                .build();
        return BoundedCall.send(http, request, config.introspection().timeout())
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                        throw new CompletionException(new AuthorizationServerUnavailable(
                                "Introspection at " + endpoint + " failed: " + BoundedCall.reason(cause), cause));
                    }
                    if (response.statusCode() != 200) {
                        throw new CompletionException(new AuthorizationServerUnavailable(
                                "Introspection at " + endpoint + " answered HTTP " + response.statusCode(), null));
                    }
                    try {
                        return accept(config, json.readValue(response.body(), JSON_OBJECT));
                    } catch (IOException | RuntimeException e) {
                        throw new CompletionException(new AuthorizationServerUnavailable(
                                "Introspection at " + endpoint + " answered with no JSON object", e));
                    }
                });
    }

    /** The acceptance rule on an introspection response, apart from I/O so that it is tested on its own. */
    static Optional<AccessGrant> accept(McpAuthSettings config, Map<String, Object> claims) {
        if (!Boolean.TRUE.equals(claims.get("active")) || !config.issuer().equals(claims.get("iss"))) {
            return Optional.empty();
        }
        // Keycloak says what it introspected: a refresh or ID token is not an access token. A DPoP-bound access token is
        // typed DPoP and carries cnf.jkt (Keycloak copies cnf into the answer); the guard decides which scheme may use it.
        Object type = claims.get("typ");
        String boundKey = claims.get("cnf") instanceof Map<?, ?> cnf && cnf.get("jkt") instanceof String jkt && !jkt.isEmpty() ? jkt : null;
        boolean typedDpop = type != null && "DPoP".equalsIgnoreCase(type.toString());
        if (type != null && !typedDpop && !"Bearer".equalsIgnoreCase(type.toString()) || typedDpop && boundKey == null) {
            return Optional.empty();
        }
        if (!audiences(claims.get("aud")).contains(config.resource())) {
            return Optional.empty();
        }
        Object scope = claims.get("scope");
        Set<String> scopes = scope instanceof String s ? new LinkedHashSet<>(Arrays.asList(s.split(" "))) : Set.of();
        long expiresAt = claims.get("exp") instanceof Number exp ? exp.longValue() : 0;
        return Optional.of(new AccessGrant((String) claims.get("sub"), (String) claims.get("username"),
                (String) claims.get("client_id"), scopes, expiresAt, boundKey));
    }

    private static Collection<?> audiences(Object aud) {
        if (aud instanceof Collection<?> list) {
            return list;
        }
        return aud == null ? List.of() : List.of(aud);
    }
}
