package dev.keycloakmcp.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class McpResourceServerPropertiesTest {

    private static McpResourceServerProperties withResource(String resource) {
        return new McpResourceServerProperties("http://kc/realms/mcp", resource, "", "secret", "", "mcp:tools", "mcp:tools:write", "n", true);
    }

    @ParameterizedTest
    @CsvSource({
            "http://localhost:3001/mcp,      http://localhost:3001/mcp,    http://localhost:3001/.well-known/oauth-protected-resource/mcp, /mcp",
            "HTTPS://MCP.Example.com/mcp/,   https://mcp.example.com/mcp,  https://mcp.example.com/.well-known/oauth-protected-resource/mcp, /mcp",
            "https://mcp.example.com/a/mcp,  https://mcp.example.com/a/mcp, https://mcp.example.com/.well-known/oauth-protected-resource/a/mcp, /a/mcp",
            "https://mcp.example.com,        https://mcp.example.com,      https://mcp.example.com/.well-known/oauth-protected-resource, /"})
    void canonicalResourceAndItsMetadataUrl(String configured, String canonical, String metadata, String path) {
        McpResourceServerProperties properties = withResource(configured);
        assertEquals(canonical, properties.resource());
        assertEquals(canonical, properties.clientId(), "the client id defaults to the canonical URL");
        assertEquals(metadata, properties.protectedResourceMetadataUrl());
        assertEquals(path, properties.mcpPath());
    }

    @Test
    void anIssuerWrittenWithATrailingSlashStillMatchesTokens() {
        McpResourceServerProperties properties = new McpResourceServerProperties("http://kc/realms/mcp/", "http://localhost/mcp", "", "secret",
                "", "mcp:tools", "mcp:tools:write", "n", true);
        assertEquals("http://kc/realms/mcp", properties.issuer());
        assertEquals("http://kc/realms/mcp/protocol/openid-connect/token/introspect", properties.introspectionUri());
    }

    @Test
    void introspectionAtTheIssuerByDefault() {
        assertEquals("http://kc/realms/mcp/protocol/openid-connect/token/introspect", withResource("http://localhost/mcp").introspectionUri());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/mcp", "http://localhost/mcp?x=1", "http://localhost/mcp#f", "ftp://localhost/mcp", "mailto:a@b"})
    void aResourceThatIsNoCanonicalUrlIsRefused(String resource) {
        assertThrows(IllegalArgumentException.class, () -> withResource(resource));
    }
}
