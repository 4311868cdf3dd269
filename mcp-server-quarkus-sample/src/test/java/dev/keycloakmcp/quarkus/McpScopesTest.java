package dev.keycloakmcp.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.AuthenticationRedirectException;

/** The rules of the hand-made piece: which failures are Keycloak not answering (503), and the challenge it writes. */
class McpScopesTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("no failure", null, false),
                Arguments.of("inactive or misaddressed token", new AuthenticationFailedException("inactive"), false),
                Arguments.of("introspection refused the connection", new AuthenticationFailedException(new ConnectException("refused")), true),
                Arguments.of("introspection timed out", new AuthenticationFailedException(new TimeoutException()), true),
                Arguments.of("I/O deep in the cause chain", new AuthenticationFailedException(new RuntimeException(new IOException("reset"))), true),
                Arguments.of("Keycloak refused the server's credentials", new AuthenticationFailedException(new OIDCException("401")), true),
                Arguments.of("OIDC not initialised: issuer down at start", new OIDCException("tenant not initialised"), true),
                Arguments.of("another authentication outcome", new AuthenticationRedirectException("/login"), false),
                Arguments.of("a bug elsewhere", new IllegalStateException("bug"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void onlyKeycloakNotAnsweringMeans503(String what, Throwable failure, boolean unavailable) {
        assertEquals(unavailable, McpScopes.keycloakDidNotAnswer(failure));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://localhost:3001/mcp | invalid_token      | mcp:tools                 | Bearer error=\"invalid_token\", resource_metadata=\"http://localhost:3001/.well-known/oauth-protected-resource/mcp\", scope=\"mcp:tools\"",
            "https://mcp.example.com/a/mcp | insufficient_scope | mcp:tools mcp:tools:write | Bearer error=\"insufficient_scope\", resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/a/mcp\", scope=\"mcp:tools mcp:tools:write\"",
            "http://localhost:3001/mcp |                    | mcp:tools                 | Bearer resource_metadata=\"http://localhost:3001/.well-known/oauth-protected-resource/mcp\", scope=\"mcp:tools\"",
    })
    void challengesNameTheMetadataOfTheCanonicalUrlAndEveryScope(String resource, String error, String scope, String expected) {
        McpScopes scopes = new McpScopes();
        scopes.resource = resource;
        assertEquals(expected, scopes.challenge(error, scope));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"add_note\"}}                    | true",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\"}}                      | false",
            "[{\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\"}},{\"method\":\"tools/call\",\"params\":{\"name\":\"add_note\"}}] | true",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":[\"add_note\"]}}                  | true",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{}}                                           | true",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}                                                        | false",
    })
    void aCallOfTheToolOrOfAToolWithoutAStringNameNeedsItsScope(String body, boolean calls) {
        assertEquals(calls, McpScopes.callsTool(io.vertx.core.json.Json.decodeValue(body), "add_note"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "application/json                          | null",
            "application/json; charset=UTF-8           | utf-8",
            "application/json;charset=\"utf-16\"       | utf-16",
            "application/json; boundary=x; Charset=Latin1 | latin1",
            "null                                      | null",
    })
    void theDeclaredCharsetIsRead(String contentType, String charset) {
        assertEquals(charset, McpScopes.charset(contentType));
    }
}
