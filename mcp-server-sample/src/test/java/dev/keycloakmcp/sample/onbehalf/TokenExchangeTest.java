package dev.keycloakmcp.sample.onbehalf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenExchangeTest {

    static final OnBehalfOfSettings SETTINGS = new OnBehalfOfSettings(URI.create("http://keycloak/realms/mcp/protocol/openid-connect/token"),
            URI.create("http://api/api/profile"), "http://api/api", "downstream:read", Duration.ofSeconds(5), Duration.ofSeconds(30), 100);

    private final TokenExchange exchange = new TokenExchange(SETTINGS, "http://mcp/mcp", "secret", HttpClient.newHttpClient());

    @Test
    void requestIsAStandardTokenExchangeForTheApiAndTheToolsScopeOnly() {
        assertEquals(Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token", "the-mcp-token",
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                "requested_token_type", "urn:ietf:params:oauth:token-type:access_token",
                "audience", "http://api/api",
                "scope", "downstream:read"), TokenExchange.form("the-mcp-token", "http://api/api", "downstream:read"));
    }

    @Test
    void tokenOfASuccessfulAnswer() {
        ExchangedToken token = exchange.answer(200, """
                {"access_token":"t","expires_in":300,"scope":"downstream:read","token_type":"Bearer",
                 "issued_token_type":"urn:ietf:params:oauth:token-type:access_token"}""");
        assertEquals("t", token.value());
        assertEquals(Duration.ofSeconds(300), token.lifetime());
        assertEquals("downstream:read", token.scope());
        assertFalse(token.toString().contains("t,"), "never printed");
    }

    @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "400 | {\"error\":\"invalid_scope\",\"error_description\":\"Invalid scopes: x\"} | REFUSED         | invalid_scope",
        "400 | {\"error\":\"invalid_request\",\"error_description\":\"Requested audience not available: a\"} | REFUSED | invalid_request",
        "400 | {\"error\":\"invalid_client\"}                                          | REFUSED         | invalid_client",
        "403 | {\"error\":\"access_denied\"}                                           | UNAVAILABLE     | access_denied",
        "401 | {\"error\":\"unauthorized_client\"}                                     | CLIENT_REJECTED | unauthorized_client",
        "400 | <html>bad</html>                                                        | UNAVAILABLE     | ",
        "500 | {\"error\":\"unknown_error\"}                                           | UNAVAILABLE     | unknown_error",
        "503 | ''                                                                      | UNAVAILABLE     | ",
        "200 | {\"token_type\":\"Bearer\"}                                             | UNAVAILABLE     | ",
        "200 | {\"access_token\":\"t\"}                                                | UNAVAILABLE     | ",
    })
    void refusalsAndFailuresAreToldApart(int status, String body, ExchangeFailure.Kind kind, String error) {
        ExchangeFailure failure = assertThrows(ExchangeFailure.class, () -> exchange.answer(status, body));
        assertEquals(kind, failure.kind());
        assertEquals(error, failure.error());
        assertFalse(failure.getMessage().isBlank());
    }

    @Test
    void aRefusalSaysWhatWasAskedAndWhyInTheUsersWords() {
        ExchangeFailure failure = assertThrows(ExchangeFailure.class,
                () -> exchange.answer(400, "{\"error\":\"invalid_scope\",\"error_description\":\"Invalid scopes: downstream:read\"}"));
        assertTrue(failure.getMessage().contains("http://api/api") && failure.getMessage().contains("invalid_scope: Invalid scopes"),
                failure.getMessage());
        assertNull(failure.getCause());
    }
}
