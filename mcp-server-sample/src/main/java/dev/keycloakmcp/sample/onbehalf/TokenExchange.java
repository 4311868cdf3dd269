package dev.keycloakmcp.sample.onbehalf;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;

/**
 * RFC 8693 token exchange at Keycloak (its "standard token exchange", Keycloak 26.2 and later): the user's MCP token
 * as {@code subject_token}, for a token whose {@code aud} is the downstream API and whose scope is only the one the
 * tool needs. The MCP server authenticates as its own confidential client, whose client id is its canonical URL, so
 * that the MCP token's {@code aud} names the client that exchanges it (Keycloak requires it). No refresh token is
 * asked for: the exchanged token is exchanged again when it expires.
 */
public final class TokenExchange {

    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    private static final TypeRef<Map<String, Object>> JSON_OBJECT = new TypeRef<>() {
    };

    private final OnBehalfOfSettings settings;
    private final HttpClient http;
    private final String authorization;
    private final McpJsonMapper json = McpJsonDefaults.getMapper();

    public TokenExchange(OnBehalfOfSettings settings, String clientId, String clientSecret, HttpClient http) {
        this.settings = settings;
        this.http = http;
        // RFC 6749 §2.3.1: form-encode id and secret before Basic encoding.
        String credentials = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    /** The form of the exchange request: exactly what RFC 8693 and Keycloak's standard token exchange need, nothing more. */
    static Map<String, String> form(String subjectToken, String audience, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", GRANT_TYPE);
        form.put("subject_token", subjectToken);
        form.put("subject_token_type", ACCESS_TOKEN_TYPE);
        form.put("requested_token_type", ACCESS_TOKEN_TYPE);
        form.put("audience", audience);
        form.put("scope", scope);
        return form;
    }

    /**
     * A token for the downstream API, acting as the user of {@code subject}.
     *
     * @throws ExchangeFailure Keycloak refused or could not answer
     */
    public ExchangedToken exchange(SubjectToken subject) {
        String body = form(subject.value(), settings.audience(), settings.scope()).entrySet().stream()
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(settings.tokenEndpoint())
                .timeout(settings.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ExchangeFailure(ExchangeFailure.Kind.UNAVAILABLE, null,
                    "Keycloak's token endpoint did not answer (" + e.getClass().getSimpleName() + "); try again later", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExchangeFailure(ExchangeFailure.Kind.UNAVAILABLE, null, "Interrupted while exchanging the token", e);
        }
        return answer(response.statusCode(), response.body());
    }

    /** Keycloak's answer read: a token, or why there is none. Apart from I/O so that it is tested on its own. */
    ExchangedToken answer(int status, String body) {
        Map<String, Object> answer;
        try {
            answer = json.readValue(body, JSON_OBJECT);
        } catch (IOException | RuntimeException e) {
            answer = null;
        }
        if (answer == null) {
            throw new ExchangeFailure(ExchangeFailure.Kind.UNAVAILABLE, null,
                    "Keycloak's token endpoint answered HTTP " + status + " without JSON; try again later", null);
        }
        if (status == 200) {
            if (!(answer.get("access_token") instanceof String token) || token.isEmpty()
                    || !(answer.get("expires_in") instanceof Number expiresIn)) {
                throw new ExchangeFailure(ExchangeFailure.Kind.UNAVAILABLE, null,
                        "Keycloak's token endpoint answered without access_token or expires_in", null);
            }
            return new ExchangedToken(token, Duration.ofSeconds(expiresIn.longValue()),
                    answer.get("scope") instanceof String scope ? scope : "");
        }
        String error = answer.get("error") instanceof String code ? code : null;
        String description = answer.get("error_description") instanceof String text ? text : null;
        String said = error == null ? "HTTP " + status : error + (description == null ? "" : ": " + description);
        if (status == 400 && error != null) {
            return refused(error, "Keycloak refused to exchange your token for one for " + settings.audience() + " with scope "
                    + settings.scope() + " (" + said + ")");
        }
        if (status == 401) {
            throw new ExchangeFailure(ExchangeFailure.Kind.CLIENT_REJECTED, error,
                    "Keycloak refused this MCP server's client credentials at its token endpoint (" + said + "): ask the administrator", null);
        }
        throw new ExchangeFailure(ExchangeFailure.Kind.UNAVAILABLE, error, "Keycloak's token endpoint answered " + said + "; try again later", null);
    }

    private static ExchangedToken refused(String error, String message) {
        throw new ExchangeFailure(ExchangeFailure.Kind.REFUSED, error, message, null);
    }
}
