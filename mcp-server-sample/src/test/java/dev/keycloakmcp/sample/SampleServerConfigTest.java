package dev.keycloakmcp.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SampleServerConfigTest {

    @Test
    void demoDefaults() {
        SampleServerConfig config = SampleServerConfig.fromEnvironment(new String[0], Map.of());
        assertEquals("http://localhost:8080/realms/mcp", config.issuer());
        assertEquals("http://localhost:3000/mcp", config.resource());
        assertEquals("http://localhost:3000/mcp", config.clientId());
        assertEquals(3000, config.port());
        assertEquals("mcp:tools", config.requiredScope());
        assertEquals("mcp:tools:write", config.writeScope());
        assertEquals("/mcp", config.mcpPath());
        assertEquals("http://localhost:3000/.well-known/oauth-protected-resource/mcp", config.protectedResourceMetadataUrl());
        assertNull(config.introspection().endpoint());
        assertEquals(Duration.ofSeconds(30), config.introspection().cacheMaxAge());
        assertEquals(Duration.ofSeconds(5), config.introspection().inactiveMaxAge());
        assertEquals(Duration.ofSeconds(5), config.introspection().timeout());
        assertEquals(Duration.ofSeconds(2), config.introspection().connectTimeout());
        assertEquals(10_000, config.introspection().cacheSize());
        assertEquals(32, config.introspection().maxConcurrent());
        assertNull(config.signedTokens().jwksUri());
        assertEquals(Duration.ofSeconds(10), config.signedTokens().refetchInterval());
        assertEquals(Duration.ofSeconds(30), config.signedTokens().clockSkew());
        assertEquals(URI.create("http://localhost:8080/realms/mcp/protocol/openid-connect/token"), config.onBehalfOf().tokenEndpoint());
        assertEquals(URI.create("http://localhost:3001/api/profile"), config.onBehalfOf().downstreamUrl());
        assertEquals("http://localhost:3001/api", config.onBehalfOf().audience());
        assertEquals("downstream:read", config.onBehalfOf().scope());
        assertEquals(Duration.ofSeconds(30), config.onBehalfOf().expiryMargin());
    }

    @ParameterizedTest
    @CsvSource({"MCP_DOWNSTREAM_SCOPE, downstream:read downstream:write", "MCP_DOWNSTREAM_URL, ftp://api/profile",
        "MCP_TOKEN_ENDPOINT, not a url", "MCP_DOWNSTREAM_TOKEN_MARGIN_SECONDS, -1"})
    void wrongOnBehalfOfSettingsAreNamed(String variable, String value) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> SampleServerConfig.fromEnvironment(new String[0], Map.of(variable, value)));
        assertTrue(error.getMessage().contains(variable), error.getMessage());
    }

    @Test
    void flagsWinOverEnvironmentAndTheResourceIsCanonical() {
        SampleServerConfig config = SampleServerConfig.fromEnvironment(
                new String[] {"--resource=HTTPS://MCP.Example.com/Tools/", "--port=8443", "--token-cache-seconds=0"},
                Map.of("MCP_RESOURCE", "http://ignored/mcp", "MCP_ISSUER", "https://sso.example.com/realms/mcp/",
                        "MCP_INTROSPECTION_URL", "http://keycloak.internal:8080/realms/mcp/protocol/openid-connect/token/introspect",
                        "MCP_JWKS_URL", "http://keycloak.internal:8080/realms/mcp/protocol/openid-connect/certs",
                        "MCP_JWKS_REFETCH_SECONDS", "60", "MCP_CLOCK_SKEW_SECONDS", "0"));
        assertEquals("https://mcp.example.com/Tools", config.resource());
        assertEquals("https://sso.example.com/realms/mcp", config.issuer());
        assertEquals("/Tools", config.mcpPath());
        assertEquals("https://mcp.example.com/.well-known/oauth-protected-resource/Tools", config.protectedResourceMetadataUrl());
        assertEquals(8443, config.port());
        assertEquals(URI.create("http://keycloak.internal:8080/realms/mcp/protocol/openid-connect/token/introspect"),
                config.introspection().endpoint());
        assertEquals(false, config.introspection().cached());
        assertEquals(URI.create("http://keycloak.internal:8080/realms/mcp/protocol/openid-connect/certs"), config.signedTokens().jwksUri());
        assertEquals(Duration.ofSeconds(60), config.signedTokens().refetchInterval());
        assertEquals(Duration.ZERO, config.signedTokens().clockSkew());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "MCP_PORT, http, MCP_PORT",
            "MCP_PORT, 70000, MCP_PORT",
            "MCP_RESOURCE, /mcp, MCP_RESOURCE",
            "MCP_RESOURCE, ftp://host/mcp, MCP_RESOURCE",
            "MCP_RESOURCE, http://host/mcp#part, MCP_RESOURCE",
            "MCP_ISSUER, keycloak:8080/realms/mcp, MCP_ISSUER",
            "MCP_INTROSPECTION_URL, file:///etc/passwd, MCP_INTROSPECTION_URL",
            "MCP_TOKEN_CACHE_SECONDS, -1, MCP_TOKEN_CACHE_SECONDS",
            "MCP_TOKEN_CACHE_SECONDS, 3601, MCP_TOKEN_CACHE_SECONDS",
            "MCP_INTROSPECTION_TIMEOUT_MS, 0, MCP_INTROSPECTION_TIMEOUT_MS",
            "MCP_CONNECT_TIMEOUT_MS, soon, MCP_CONNECT_TIMEOUT_MS",
            "MCP_TOKEN_CACHE_SIZE, 0, MCP_TOKEN_CACHE_SIZE",
            "MCP_WRITE_SCOPE, 'a b', Scopes",
            "MCP_MAX_CONCURRENT_INTROSPECTIONS, 0, MCP_MAX_CONCURRENT_INTROSPECTIONS",
            "MCP_PORT, 0, MCP_RESOURCE",
            "MCP_RESOURCE, http://host/mcp?tenant=a, MCP_RESOURCE",
            "MCP_JWKS_URL, file:///etc/passwd, MCP_JWKS_URL",
            "MCP_JWKS_REFETCH_SECONDS, 0, MCP_JWKS_REFETCH_SECONDS",
            "MCP_JWKS_REFETCH_SECONDS, 3601, MCP_JWKS_REFETCH_SECONDS",
            "MCP_CLOCK_SKEW_SECONDS, -5, MCP_CLOCK_SKEW_SECONDS",
            "MCP_CLOCK_SKEW_SECONDS, 301, MCP_CLOCK_SKEW_SECONDS",
    })
    void wrongSettingsFailWithAMessageNamingThem(String variable, String value, String named) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> SampleServerConfig.fromEnvironment(new String[0], Map.of(variable, value)));
        assertTrue(error.getMessage().contains(named), error.getMessage());
    }

    @Test
    void unknownArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SampleServerConfig.fromEnvironment(new String[] {"verbose"}, Map.of()));
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> SampleServerConfig.fromEnvironment(new String[] {"--isuer=http://x/realms/y"}, Map.of()));
        assertTrue(typo.getMessage().contains("--isuer"), typo.getMessage());
    }
}
