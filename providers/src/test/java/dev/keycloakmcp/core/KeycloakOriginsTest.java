package dev.keycloakmcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeycloakOriginsTest {

    /** The demo's Keycloak, and one behind a proxy with a context path and an admin host. */
    private static final KeycloakOrigins KEYCLOAK = KeycloakOrigins.of(List.of(URI.create("http://localhost:8080/"),
            URI.create("https://sso.example.com/auth/"), URI.create("https://admin.example.com:8443/")));

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "none", value = {
            "http://localhost:8080/realms/mcp/protocol/openid-connect/auth?client_id=x, http://localhost:8080",
            "HTTP://LocalHost:8080/, http://localhost:8080",
            "http://localhost.:8080/cb, http://localhost:8080",
            "http://127.0.0.1:8080/cb, http://localhost:8080",
            "http://127.1.2.3:8080/cb, http://localhost:8080",
            "http://[::1]:8080/cb, http://localhost:8080",
            "http://[0:0:0:0:0:0:0:1]:8080/cb, http://localhost:8080",
            "http://[::ffff:127.0.0.1]:8080/cb, http://localhost:8080",
            "http://app.localhost:8080/cb, http://localhost:8080",
            "https://sso.example.com/realms/mcp, https://sso.example.com",
            "https://sso.example.com:443/other-path, https://sso.example.com",
            "https://admin.example.com:8443/admin, https://admin.example.com:8443",
            "http://localhost:8081/cb, none",
            "http://127.0.0.1:42675/callback, none",
            "http://localhost/callback, none",
            "https://localhost:8080/cb, none",
            "http://sso.example.com/cb, none",
            "https://sso.example.com:8443/cb, none",
            "https://sso.example.com.evil.example/cb, none",
            "https://admin.example.com/cb, none",
            "http://[::2]:8080/cb, none",
            "http://128.0.0.1:8080/cb, none",
            "com.example.app:/cb, none"
    })
    void findsTheOriginOfKeycloakAUriIsOn(String uri, String origin) {
        assertEquals(Optional.ofNullable(origin), KEYCLOAK.originOf(URI.create(uri)));
    }

    @Test
    void portlessLoopbackIsKeycloakOnPort80() {
        KeycloakOrigins onPort80 = KeycloakOrigins.of(List.of(URI.create("http://localhost/")));
        assertEquals(Optional.of("http://localhost"), onPort80.originOf(URI.create("http://127.0.0.1/callback")));
        assertEquals(Optional.empty(), onPort80.originOf(URI.create("http://127.0.0.1:33418/callback")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(nullValues = "none", value = {
            "sso.example.com, https://keycloak.internal:8443/, https://sso.example.com:8443/",
            "https://sso.example.com, http://localhost:8080/, https://sso.example.com",
            "https://sso.example.com/auth/, http://localhost:8080/, https://sso.example.com/auth/",
            "none, http://localhost:8080/, none",
            "'  ', http://localhost:8080/, none",
            "not a host, http://localhost:8080/, none"
    })
    void readsTheHostnameOptionAsKeycloakDoes(String option, String request, String base) {
        assertEquals(Optional.ofNullable(base).map(URI::create), KeycloakOrigins.configuredHostname(option, URI.create(request)));
    }
}
